using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Ingestion.ImportAndRestartTests;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Ingestion;

/// <summary>
/// A small retailer's first day, from files this test writes (not the demo generator): an empty app, the first admin,
/// CSV files of stores, products and stock, then the day's events; the stock API, the profile and the talking points
/// show that retailer's own stock and categories.
/// </summary>
public abstract class RetailerDayTests(DatabaseProvider provider)
{
    private static readonly Dictionary<string, string> NoDemo = new() { ["Demo__Enabled"] = "false" };

    /// <summary>Yesterday in Tokyo at that hour.</summary>
    private static DateTimeOffset At(int hour)
    {
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).Date;
        return new DateTimeOffset(today.AddDays(-1).AddHours(hour), TimeSpan.FromHours(9));
    }

    private static string JanOf(string twelve) => twelve + Gs1.CheckDigit(twelve);

    private static async Task<string> WriteAsync(string folder, string name, string text, bool bom = true)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, [.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)]);
        return path;
    }

    [Fact]
    public async Task A_retailer_starts_empty_imports_its_files_and_its_day_shows_in_stock_profile_and_talking_points()
    {
        await using var db = await TestDatabase.CreateAsync(provider, migrate: false);
        var folder = Directory.CreateTempSubdirectory("omo-retailer-").FullName;
        try
        {
            var counted = Time(At(8));
            var stores = await WriteAsync(folder, "stores.csv", """
                store_id,name_ja,name_en,kind,latitude,longitude
                R01,本店,Main street,store,35.6580,139.7016
                R02,駅前店,Station,store,35.6900,139.7000
                WEB,ウェブストア,Web shop,online,,

                """);
            var products = await WriteAsync(folder, "products.csv", $"""
                style_code,name_ja,name_en,category,price,image_url,launched_on,sku,size,colour,jan
                P-100,テーパードパンツ,"Tapered trousers, wool",Trousers,12900,https://images.example.jp/p-100.jpg,2026-09-01,P-100-M,M,INK,{JanOf("490000000100")}
                P-100,テーパードパンツ,"Tapered trousers, wool",Trousers,12900,https://images.example.jp/p-100.jpg,2026-09-01,P-100-L,L,INK,{JanOf("490000000101")}
                B-200,レザーベルト,Leather belt,Belts,4900,,2026-09-01,B-200-F,F,BROWN,{JanOf("490000000200")}

                """);
            var stock = await WriteAsync(folder, "stock.csv", $"""
                store_id,sku,quantity,counted_at
                R01,P-100-M,5,{counted}
                R01,P-100-L,2,{counted}
                R01,B-200-F,3,{counted}
                R02,P-100-M,1,{counted}

                """, bom: false);

            var (exit, output) = await RunAppAsync(db, "5836", NoDemo, "staff", "add", "X100", "--name", "本部", "--role", "admin");
            Assert.True(exit == 0, output);
            foreach (var (file, count) in new[] { (stores, 3), (products, 2), (stock, 4) })
            {
                (exit, output) = await RunAppAsync(db, null, NoDemo, "import", file, "--sender", "master");
                Assert.True(exit == 0, output);
                Assert.Contains($"{count} accepted, 0 duplicates, 0 rejected", output);
            }
            // The nightly sync sends the same file again: nothing changes.
            (exit, output) = await RunAppAsync(db, null, NoDemo, "import", stock, "--sender", "master");
            Assert.Contains("0 accepted, 4 duplicates, 0 rejected", output);

            await using var app = new AppServer(provider, new Dictionary<string, string?>
            {
                ["Demo:Enabled"] = "false",
                ["Store:ImageHosts:0"] = "https://images.example.jp",
                ["TalkingPoints:Complements:Trousers:0"] = "Belts",
                ["ApiKeys:Keys:1:System"] = "web-shop",
                ["ApiKeys:Keys:1:KeySha256"] = ApiKeyOptions.Hash("their-web-shop-key"),
                ["ApiKeys:Keys:1:Permissions:0"] = ApiPermissions.StockRead,
                ["ApiKeys:Keys:2:System"] = "crm-and-tills",
                ["ApiKeys:Keys:2:KeySha256"] = ApiKeyOptions.Hash("their-feed-key"),
                ["ApiKeys:Keys:2:Permissions:0"] = ApiPermissions.EventsWrite,
            }, db);
            await app.InitializeAsync();
            // Without the demo, Development's published demo key opens nothing.
            using (var demoKey = app.ClientWithKey(ApiKeyOptions.DemoKey))
                Assert.Equal(HttpStatusCode.Unauthorized, (await demoKey.PostAsJsonAsync("/api/v1/events", Array.Empty<object>())).StatusCode);
            using var feed = app.ClientWithKey("their-feed-key");
            var id = NewMemberId();
            var card = Card(CardOf(id));
            var (response, body) = await PostAsync(feed,
                Event("member_upserted", null, new
                {
                    memberNo = id.ToString("D10"), familyName = "小売", givenName = "一郎", homeStoreId = "R01",
                    consent = new { onlineBehaviour = true, marketing = true }, identities = new[] { card },
                }, at: At(6)),
                Event("product_viewed", card, new { sku = "P-100-M", channel = "ec", seconds = 50 }, at: At(9)),
                Event("pos_sale", card, new { receiptId = "R01-0001", lines = new[] { new { sku = "P-100-M", quantity = 1, unitPrice = 12900 } } }, storeId: "R01", at: At(11)),
                // Yesterday's 07:00 receipt, sent late: the 08:00 count has it already.
                Event("pos_sale", card, new { receiptId = "R01-0000", lines = new[] { new { sku = "P-100-L", quantity = 1, unitPrice = 12900 } } }, storeId: "R01", at: At(7)),
                Event("pos_return", card, new { receiptId = "R01-0002", lines = new[] { new { sku = "P-100-L", quantity = 1, unitPrice = 12900 } } }, storeId: "R01", at: At(12)),
                Event("order_placed", card, new { orderId = "W-1", channel = "ec", fulfilment = "click_and_collect", pickupStoreId = "R01",
                    lines = new[] { new { sku = "P-100-M", quantity = 1, unitPrice = 12900 } } }, at: At(13)),
                Event("order_ready_for_pickup", card, new { orderId = "W-1" }, at: At(14)),
                Event("order_collected", card, new { orderId = "W-1" }, at: At(15)));
            Assert.True(body.GetProperty("accepted").GetInt32() == 8, body.ToString());

            using var webShop = app.ClientWithKey("their-web-shop-key");
            var answer = await webShop.GetFromJsonAsync<JsonElement>("/api/v1/stock?sku=P-100-M&sku=P-100-L&near=R02");
            int OnHand(int sku, string store) => answer[sku].GetProperty("stores").EnumerateArray().Single(s => s.GetProperty("storeId").GetString() == store).GetProperty("onHand").GetInt32();
            Assert.Equal("R02", answer[0].GetProperty("stores")[0].GetProperty("storeId").GetString());
            Assert.Equal(5 - 1 - 1, OnHand(0, "R01")); // the sale and the collection
            Assert.Equal(2 + 1, OnHand(1, "R01"));     // the late receipt is in the count; the return puts one back
            Assert.Equal(1, OnHand(0, "R02"));

            // The product page a scan of the trousers' tag opens in R01: both sizes with their levels.
            var shelf = await app.Services.GetRequiredService<ProductShelf>().ForAsync("P-100", "R01");
            Assert.Equal(new[] { ("P-100-L", 3), ("P-100-M", 3) }, shelf!.Cells.Select(c => (c.Sku, c.HereQuantity)).Order().ToList());

            var profile = await app.Services.GetRequiredService<ProfileService>().AssembleAsync(id, "R01");
            var trousers = Assert.Single(profile!.Views).Item;
            Assert.Equal((3, "https://images.example.jp/p-100.jpg"), (trousers.Availability.HereQuantity, trousers.Product.PhotoUrl));
            var points = await app.Services.GetRequiredService<TalkingPointService>().ForAsync(profile);
            var cross = Assert.Single(points, p => p.RuleId == Rules.CrossSellComplement);
            Assert.Equal("B-200-F", Assert.Single(cross.Products).Product.Sku);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_files_are_refused_line_by_line_with_a_reason_and_a_broken_file_not_at_all()
    {
        await using var db = await TestDatabase.CreateAsync(provider, migrate: false);
        var folder = Directory.CreateTempSubdirectory("omo-retailer-").FullName;
        try
        {
            await RunAppAsync(db, null, NoDemo, "import", await WriteAsync(folder, "stores.csv", "store_id,name_ja,name_en,kind,latitude,longitude\nR01,本店,Main,store,35.6,139.7\n"));
            var badJan = JanOf("490000000300")[..12] + (JanOf("490000000300")[12] == '9' ? '0' : (char)(JanOf("490000000300")[12] + 1));
            var (exit, output) = await RunAppAsync(db, null, NoDemo, "import", await WriteAsync(folder, "products.csv", $"""
                style_code,name_ja,name_en,category,price,image_url,launched_on,sku,size,colour,jan
                P-1,パンツ,Trousers,Trousers,9900,,,P-1-M,M,INK,
                P-2,シャツ,Shirt,Shirts,5900,,,P-2-M,M,WHITE,{badJan}
                P-1,パンツ,Trousers,Trousers,8800,,,P-1-L,L,INK,

                """));
            Assert.Equal(1, exit);
            Assert.Contains("line 3: Invalid JAN", output);
            Assert.Contains("line 4: Style columns differ", output);

            (exit, output) = await RunAppAsync(db, null, NoDemo, "import", await WriteAsync(folder, "stock.csv", $"""
                store_id,sku,quantity,counted_at
                R01,P-1-M,4,{Time(At(8))}
                R99,P-1-M,4,{Time(At(8))}
                R01,NO-STYLE-SKU,4,{Time(At(8))}
                R01,P-1-M,5,{Time(At(8))}
                R01,P-1-L,-2,{Time(At(8))}

                """));
            Assert.Equal(1, exit);
            Assert.Contains("1 accepted, 0 duplicates, 4 rejected", output);
            Assert.Contains("line 3: Unknown store", output);
            Assert.Contains("line 4: Unknown SKU", output);
            Assert.Contains("line 5: Duplicate SKU", output);
            Assert.Contains("line 6: Out of range", output);

            (exit, output) = await RunAppAsync(db, null, NoDemo, "import", await WriteAsync(folder, "short.csv", "store_id,sku,counted_at\nR01,P-1-M,2026-11-22T08:00:00+09:00\n"));
            Assert.Equal(1, exit);
            Assert.Contains("column quantity is missing", output);

            var broken = Path.Combine(folder, "sjis.csv");
            await File.WriteAllBytesAsync(broken, [.. "store_id,sku,quantity,counted_at\nR01,"u8.ToArray(), 0x83, 0x70, .. ",1,2026-11-22T08:00:00+09:00\n"u8.ToArray()]);
            (exit, output) = await RunAppAsync(db, null, NoDemo, "import", broken);
            Assert.Equal(1, exit);
            Assert.Contains("Line 2 is not UTF-8", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public sealed class OnSqlite() : RetailerDayTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : RetailerDayTests(DatabaseProvider.Postgres);
}
