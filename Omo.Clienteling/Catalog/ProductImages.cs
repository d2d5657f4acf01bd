using System.Collections.Concurrent;
using System.Security;
using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

/// <summary>
/// Product pictures drawn as SVG from the style's category and main colour: the demo needs an image per
/// product and must fetch nothing at run time. A real catalogue would put its photo URLs in products.image_path.
/// </summary>
public sealed class ProductImages(OmoDatabase database) : ICachedData
{
    private readonly ConcurrentDictionary<string, string> _cache = new();

    public string Version => DataVersions.Dataset;

    /// <summary>Where a style's drawn picture is served: what the tablet shows when the product has no photo, or it fails to load.</summary>
    public static string PlaceholderPath(string styleCode) => $"/catalog/images/{Uri.EscapeDataString(styleCode)}.svg";

    public Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        _cache.Clear();
        return Task.CompletedTask;
    }

    public async Task<string?> SvgAsync(string styleCode)
    {
        if (_cache.TryGetValue(styleCode, out var svg)) return svg;
        await using var connection = await database.OpenAsync();
        // The colour of the style's first SKU in code order: the same picture on every server and provider.
        var product = await connection.QuerySingleOrDefaultAsync<(string Category, string? Colour)?>("""
            SELECT p.category, (SELECT MIN(k.colour) FROM skus k WHERE k.style_code = p.style_code)
            FROM products p WHERE p.style_code = @styleCode
            """, new { styleCode });
        if (product is not { } p) return null;
        return _cache[styleCode] = Render(styleCode, p.Category, p.Colour);
    }

    private static string Render(string styleCode, string category, string? colour)
    {
        var fill = Colours.Get(colour ?? "GRAY").Hex;
        var shape = Silhouettes.GetValueOrDefault(category, Silhouettes["accessory"]);
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 150" role="img" aria-label="{SecurityElement.Escape(styleCode)}">
              <rect width="120" height="150" fill="#f3f1ec"/>
              <path d="{shape}" fill="{fill}" stroke="#00000033" stroke-width="1.5"/>
              <text x="60" y="143" font-family="sans-serif" font-size="10" text-anchor="middle" fill="#555">{SecurityElement.Escape(styleCode)}</text>
            </svg>
            """;
    }

    private static readonly Dictionary<string, string> Silhouettes = new()
    {
        ["dress"] = "M45 15 L75 15 L80 40 L72 50 L95 125 L25 125 L48 50 L40 40 Z",
        ["cardigan"] = "M38 18 L82 18 L104 45 L96 55 L88 48 L88 125 L32 125 L32 48 L24 55 L16 45 Z M58 18 L60 125",
        ["knit"] = "M38 18 L82 18 L104 48 L94 56 L88 50 L88 122 L32 122 L32 50 L26 56 L16 48 Z",
        ["blouse"] = "M40 20 L80 20 L100 45 L92 52 L86 46 L88 115 L32 115 L34 46 L28 52 L20 45 Z",
        ["shirt"] = "M40 18 L80 18 L102 45 L94 52 L88 46 L88 120 L32 120 L32 46 L26 52 L18 45 Z M52 18 L60 30 L68 18",
        ["tshirt"] = "M40 22 L80 22 L104 40 L94 54 L86 48 L86 118 L34 118 L34 48 L26 54 L16 40 Z",
        ["pants"] = "M38 15 L82 15 L88 128 L66 128 L60 55 L54 128 L32 128 Z",
        ["skirt"] = "M42 25 L78 25 L98 118 L22 118 Z",
        ["jacket"] = "M36 16 L84 16 L106 48 L96 56 L90 50 L90 126 L30 126 L30 50 L24 56 L14 48 Z M60 20 L50 70 L60 126 M60 20 L70 70",
        ["coat"] = "M36 12 L84 12 L106 46 L96 54 L92 50 L96 132 L24 132 L28 50 L24 54 L14 46 Z M60 16 L60 132",
        ["scarf"] = "M30 20 L90 20 L90 40 L70 40 L74 125 L56 125 L52 40 L30 40 Z",
        ["bag"] = "M28 55 L92 55 L98 125 L22 125 Z M42 55 Q60 15 78 55",
        ["shoes"] = "M18 95 L50 80 L62 92 L102 98 L104 112 L18 112 Z",
        ["belt"] = "M10 68 L110 68 L110 82 L10 82 Z M44 62 L64 62 L64 88 L44 88 Z",
        ["accessory"] = "M60 30 A30 30 0 1 1 59.9 30 Z M60 45 A15 15 0 1 0 60.1 45 Z",
    };
}
