using Bunit;
using MudBlazor;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Ingestion;

/// <summary>The admin's key maker: keys live in configuration, the page only shows them and makes new ones. It reads no data.</summary>
public sealed class ApiKeysPageTests(DemoDatabaseFixture.OnSqlite demo) : BunitTestBase(demo.Db), IClassFixture<DemoDatabaseFixture.OnSqlite>
{
    /// <summary>The page as an admin opens it, with the new key's system name typed in.</summary>
    private async Task<IRenderedComponent<ApiKeysPage>> OpenForAsync(string system)
    {
        await SignInAsync(new StaffMember("X001", "管理者", StaffRoles.Admin, "S01"));
        Ctx.Render<MudPopoverProvider>();
        var page = Ctx.Render<ApiKeysPage>();
        page.Find("input.mud-input-root").Change(system);
        return page;
    }

    private static void Generate(IRenderedComponent<ApiKeysPage> page) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() is "作成" or "Generate").Click();

    [Fact]
    public async Task A_web_shop_key_gets_stock_read_and_no_right_to_write_events()
    {
        var page = await OpenForAsync("web-shop");
        var choices = page.FindAll("[data-testid=api-key-permissions] input[type=checkbox]");
        Assert.Equal(ApiPermissions.All.Count, choices.Count);
        choices[ApiPermissions.All.ToList().IndexOf(ApiPermissions.EventsWrite)].Change(false);
        page.FindAll("[data-testid=api-key-permissions] input[type=checkbox]")[ApiPermissions.All.ToList().IndexOf(ApiPermissions.StockRead)].Change(true);
        Generate(page);

        var key = page.Find("[data-testid=api-key-new]").TextContent.Trim();
        var snippet = page.FindAll("pre.api-key-snippet")[1].TextContent;
        Assert.Contains("\"web-shop\"", snippet);
        Assert.Contains(ApiPermissions.StockRead, snippet);
        Assert.DoesNotContain(ApiPermissions.EventsWrite, snippet);
        Assert.Contains(ApiKeyOptions.Hash(key), snippet);
        Assert.DoesNotContain(key, snippet);
        Assert.Contains("\"Stores\": []", snippet); // no shop ticked: every store
    }

    [Fact]
    public async Task A_till_s_key_names_its_own_shop()
    {
        var page = await OpenForAsync("pos-shibuya");
        page.Find("[data-testid=api-key-stores] input[data-store-id=S01]").Change(true);
        Generate(page);

        var entry = System.Text.Json.JsonSerializer.Deserialize<ApiKeyEntry>(page.FindAll("pre.api-key-snippet")[1].TextContent)!;
        Assert.Equal(["S01"], entry.Stores);
        Assert.Equal([ApiPermissions.EventsWrite], entry.Permissions);
    }
}
