using System.Diagnostics;
using System.Globalization;
using System.Text;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Bench;

/// <summary>
/// A chain's first load from files (docs/csv-formats.md), through the import command on a copy of the dataset: 100
/// stores, 50,000 SKUs (10,000 styles in five sizes), and <see cref="BenchOptions.ImportStockRows"/> stock rows; then
/// the web shop's stock question at that size.
/// </summary>
public sealed class ImportBench : IBenchSection
{
    private const int Stores = 100, Styles = 10_000;
    private static readonly string[] Sizes = ["XS", "S", "M", "L", "XL"];
    private const string StockKey = "bench-stock-key";

    public string Name => "import";

    public async Task RunAsync(BenchOptions options, DatasetBench dataset, Report report)
    {
        await using var server = await BenchServer.StartAsync(dataset, new Dictionary<string, string?>
        {
            ["ApiKeys:Keys:9:System"] = "bench-web-shop",
            ["ApiKeys:Keys:9:KeySha256"] = ApiKeyOptions.Hash(StockKey),
            ["ApiKeys:Keys:9:Permissions:0"] = ApiPermissions.StockRead,
        });
        var folder = Directory.CreateTempSubdirectory("omo-bench-import-").FullName;
        try
        {
            var counted = DateTimeOffset.UtcNow.AddHours(-1).ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            var files = new (string Name, int Rows, Action<StreamWriter> Write)[]
            {
                ("stores", Stores, w =>
                {
                    w.WriteLine("store_id,name_ja,name_en,kind,latitude,longitude");
                    for (var s = 0; s < Stores; s++) w.WriteLine($"B{s:D3},店{s},Store {s},store,{35 + s / 1000.0:F4},{139 + s / 1000.0:F4}");
                }),
                ("products", Styles * Sizes.Length, w =>
                {
                    w.WriteLine("style_code,name_ja,name_en,category,price,image_url,launched_on,sku,size,colour,jan");
                    for (var p = 0; p < Styles; p++)
                        for (var z = 0; z < Sizes.Length; z++)
                        {
                            var jan = $"49{p * Sizes.Length + z:D10}";
                            w.WriteLine($"BS-{p:D5},商品{p},Style {p},Category{p % 40},{1990 + p % 50 * 500},,2026-09-01,BS-{p:D5}-{Sizes[z]},{Sizes[z]},INK,{jan}{Gs1.CheckDigit(jan)}");
                        }
                }),
                ("stock", options.ImportStockRows, w =>
                {
                    w.WriteLine("store_id,sku,quantity,counted_at");
                    for (var i = 0; i < options.ImportStockRows; i++)
                        w.WriteLine($"B{i / (Styles * Sizes.Length) % Stores:D3},BS-{i / Sizes.Length % Styles:D5}-{Sizes[i % Sizes.Length]},{i % 9},{counted}");
                }),
            };
            foreach (var (name, rows, write) in files)
            {
                var path = Path.Combine(folder, name + ".csv");
                await using (var writer = new StreamWriter(path, false, new UTF8Encoding(true))) write(writer);
                var watch = Stopwatch.StartNew();
                var output = new StringWriter();
                var exit = await ImportCommand.RunAsync(server.Services, [path, "--sender", "bench"], output);
                if (exit != 0) throw new InvalidOperationException($"The {name} import refused lines:\n{output}");
                report.Add("import", $"CSV import of {name} ({rows:N0} rows)", $"{Report.Number(rows / watch.Elapsed.TotalSeconds)} rows/s, {watch.Elapsed.TotalSeconds:F1} s");
            }

            using var webShop = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            webShop.DefaultRequestHeaders.Add("X-Api-Key", StockKey);
            var random = new Random(options.Seed);
            var times = new List<double>();
            for (var i = 0; i < 200; i++)
            {
                var sku = $"BS-{random.Next(Styles):D5}-{Sizes[random.Next(Sizes.Length)]}";
                var watch = Stopwatch.StartNew();
                using var response = await webShop.GetAsync($"/api/v1/stock?sku={sku}&near=B{random.Next(Stores):D3}");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                if (i >= 20) times.Add(watch.Elapsed.TotalMilliseconds);
            }
            report.AddLatencies("import", $"stock API, one SKU across {Stores} stores after the import (180 requests)", times);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
