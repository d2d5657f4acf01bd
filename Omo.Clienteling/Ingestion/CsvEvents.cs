using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace Omo.Clienteling.Ingestion;

/// <summary>
/// The retailer's master-data files (docs/csv-formats.md): stores, products with their SKUs, and stock counts, told
/// apart by their header line. Each becomes the events the API takes (store_upserted, product_upserted,
/// stock_counted), so a file passes exactly the validation an event does, line by line. Event ids come from the file's
/// content and the line, so importing the same file again changes nothing.
/// </summary>
public static class CsvEvents
{
    public enum FileKind { Stores, Products, Stock }

    public static readonly IReadOnlyDictionary<FileKind, string[]> Columns = new Dictionary<FileKind, string[]>
    {
        [FileKind.Stores] = ["store_id", "name_ja", "name_en", "kind", "latitude", "longitude"],
        [FileKind.Products] = ["style_code", "name_ja", "name_en", "category", "price", "image_url", "launched_on", "sku", "size", "colour", "jan"],
        [FileKind.Stock] = ["store_id", "sku", "quantity", "counted_at"],
    };

    /// <summary>One event read from the file (as JSON, for the events reader), or why its line was refused before that.</summary>
    public sealed record Item(int Line, string? Json, Rejection? Refused);

    /// <summary>A file whose header was read: its kind, how many lines it has, and its events, read as they are asked for.</summary>
    public sealed record CsvFile(FileKind Kind, int Lines, IEnumerable<Item> Items);

    /// <summary>A file that cannot be read at all: nothing of it is imported.</summary>
    public sealed class Unreadable(string message) : Exception(message);

    /// <summary>
    /// Reads <paramref name="bytes"/> (UTF-8, with or without the BOM Japanese Excel writes). A file that is not UTF-8,
    /// or whose header is not one of the three, is <see cref="Unreadable"/>.
    /// </summary>
    public static CsvFile Read(byte[] bytes, DateTimeOffset importedAt)
    {
        var body = bytes.AsSpan().StartsWith("\xEF\xBB\xBF"u8) ? bytes.AsMemory(3) : bytes.AsMemory();
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            var line = 1 + body.Span[..EventsApi.InvalidUtf8At(body.Span)].Count((byte)'\n');
            throw new Unreadable($"Line {line} is not UTF-8 text. Save the file as UTF-8 (Excel: \"CSV UTF-8\") and import it again; nothing was imported.");
        }
        var prefix = Convert.ToHexStringLower(SHA256.HashData(body.Span))[..16];
        var text = new StreamReader(new MemoryStream(bytes, bytes.Length - body.Length, body.Length), new UTF8Encoding(false, throwOnInvalidBytes: true));
        var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim, DetectColumnCountChanges = false, MissingFieldFound = null, BadDataFound = null,
        });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            csv.Dispose();
            throw new Unreadable("The file is empty: the first line must name the columns.");
        }
        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var kind = Columns.OrderByDescending(c => c.Value.Count(names.Contains)).First();
        var missing = kind.Value.Where(c => !names.Contains(c)).ToList();
        if (kind.Value.Count(names.Contains) < 2 || missing.Count > 0)
        {
            csv.Dispose();
            throw new Unreadable(kind.Value.Count(names.Contains) < 2
                ? $"The header line '{string.Join(",", header)}' is not a stores, products or stock file (docs/csv-formats.md)."
                : $"This looks like a {kind.Key.ToString().ToLowerInvariant()} file, but column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} {(missing.Count > 1 ? "are" : "is")} missing; nothing was imported.");
        }

        // Lines are read as the import asks for them: a stock file of millions of lines is never all in memory as rows.
        IEnumerable<(int Line, Dictionary<string, string> Values)> Rows()
        {
            using (csv)
                while (csv.Read())
                {
                    var values = kind.Value.ToDictionary(c => c, c => csv.GetField(Array.IndexOf(names, c)) ?? "");
                    if (values.Values.All(string.IsNullOrEmpty)) continue;
                    yield return (csv.Parser.RawRow, values);
                }
        }
        var at = importedAt.ToOffset(ShopTime.Offset).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        string Id(int line) => $"csv-{prefix}-{line}";
        return new CsvFile(kind.Key, body.Span.Count((byte)'\n') + 1, kind.Key switch
        {
            FileKind.Stores => Rows().Select(r => new Item(r.Line, Event(Id(r.Line), EventTypes.StoreUpserted, at, r.Values["store_id"], new()
            {
                ["nameJa"] = Text(r.Values["name_ja"]), ["nameEn"] = Text(r.Values["name_en"]), ["kind"] = Text(r.Values["kind"]),
                ["latitude"] = Number(r.Values["latitude"]), ["longitude"] = Number(r.Values["longitude"]),
            }), null)),
            // A style's lines may be anywhere in the file: a products file (tens of thousands of lines) is grouped in memory.
            FileKind.Products => Products([.. Rows()], at, Id),
            _ => Stock(Rows(), Id),
        });
    }

    /// <summary>One count per line (each line is checked and refused on its own); a shop's SKU counted twice in one file is refused.</summary>
    private static IEnumerable<Item> Stock(IEnumerable<(int Line, Dictionary<string, string> Values)> rows, Func<int, string> id)
    {
        // Where each shop's SKU was counted in this file (one entry per line: the only thing kept of a line once read).
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var (store, sku) = (r.Values["store_id"], r.Values["sku"]);
            if (seen.TryGetValue($"{store}\n{sku}", out var earlier))
            {
                yield return new Item(r.Line, null, new Rejection(r.Line, id(r.Line), "Duplicate SKU",
                    $"SKU '{sku}' in {store} is counted on line {earlier} already; a file counts each SKU of a shop once."));
                continue;
            }
            seen[$"{store}\n{sku}"] = r.Line;
            yield return new Item(r.Line, Event(id(r.Line), EventTypes.StockCounted, r.Values["counted_at"], store, new()
            {
                ["lines"] = new[] { new Dictionary<string, object?> { ["sku"] = Text(sku), ["quantity"] = Number(r.Values["quantity"]) } },
            }), null);
        }
    }

    /// <summary>One product_upserted per style, its SKUs from every line that names it; the style's own columns must agree.</summary>
    private static List<Item> Products(List<(int Line, Dictionary<string, string> Values)> rows, string at, Func<int, string> id)
    {
        string[] styleColumns = ["name_ja", "name_en", "category", "price", "image_url", "launched_on"];
        var items = new List<Item>();
        foreach (var style in rows.GroupBy(r => r.Values["style_code"], StringComparer.Ordinal))
        {
            var first = style.First();
            var lines = new List<(int Line, Dictionary<string, string> Values)>();
            foreach (var row in style)
            {
                if (styleColumns.FirstOrDefault(c => row.Values[c] != first.Values[c]) is { } differs)
                    items.Add(new Item(row.Line, null, new Rejection(row.Line, id(row.Line), "Style columns differ",
                        $"{differs} '{row.Values[differs]}' differs from line {first.Line} ('{first.Values[differs]}') for style {style.Key}; a style has one {differs}.")));
                else lines.Add(row);
            }
            items.Add(new Item(first.Line, Event(id(first.Line), EventTypes.ProductUpserted, at, null, new()
            {
                ["styleCode"] = Text(style.Key), ["nameJa"] = Text(first.Values["name_ja"]), ["nameEn"] = Text(first.Values["name_en"]),
                ["category"] = Text(first.Values["category"]), ["price"] = Number(first.Values["price"]), ["imageUrl"] = Text(first.Values["image_url"]),
                ["launchedOn"] = Text(first.Values["launched_on"]),
                ["skus"] = lines.Select(l => new Dictionary<string, object?>
                {
                    ["sku"] = Text(l.Values["sku"]), ["size"] = Text(l.Values["size"]), ["colour"] = Text(l.Values["colour"]), ["jan"] = Text(l.Values["jan"]),
                }).ToList(),
            }), null));
        }
        return items;
    }

    private static string Event(string eventId, string type, string occurredAt, string? storeId, Dictionary<string, object?> data) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["eventId"] = eventId, ["type"] = type, ["occurredAt"] = occurredAt, ["storeId"] = Text(storeId ?? ""), ["data"] = data,
        });

    private static string? Text(string value) => value.Length == 0 ? null : value;

    /// <summary>A number as a JSON number; anything else as its text, so the events reader names what is wrong with it.</summary>
    private static object? Number(string value) =>
        value.Length == 0 ? null
        : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? whole
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? real
        : value;
}
