using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

/// <summary>One shop's stock of one SKU as the web shop shows it ("in stock at Shibuya").</summary>
public sealed record StoreAvailability(string StoreId, int Available, int OnHand, int Reserved, DateTimeOffset? CountedAt);

public sealed record SkuAvailability(string Sku, IReadOnlyList<StoreAvailability> Stores);

/// <summary>
/// <c>GET /api/v1/stock?sku=…[&amp;sku=…][&amp;near=S01]</c> for the web shop and the app (docs/events-api.md, "Store stock
/// for the web shop"): per shop, what is on the shelf, what is set aside for click-and-collect customers and holds, and what can
/// still be sold; the shops nearest to <c>near</c> first.
/// </summary>
public static class StockApi
{
    public const string Permission = "stock:read";
    public const int MaxSkus = 50;

    public static IEndpointRouteBuilder MapStockApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/stock", AnswerAsync)
            .RequireAuthorization(Permission)
            .WithName("GetStock")
            .WithSummary($"Stock per shop for 1 to {MaxSkus} SKUs, the shops nearest to `near` first.")
            .WithDescription("available = onHand − reserved (click-and-collect orders waiting in the shop and items held for customers), never below zero. countedAt is the time of the shop's latest count of that SKU.")
            .Produces<SkuAvailability[]>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        return endpoints;
    }

    private static async Task<IResult> AnswerAsync(HttpRequest request, StoreDirectory stores, OmoDatabase database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var skus = request.Query["sku"].Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (skus.Count is 0 or > MaxSkus)
            return Results.Problem(title: "Invalid sku", detail: $"Name 1 to {MaxSkus} SKUs: /api/v1/stock?sku=DR-0012-M-NAVY&sku=….", statusCode: 400);
        var near = request.Query["near"].FirstOrDefault();
        if (near is not null && stores.Find(near) is not { IsShop: true })
            return Results.Problem(title: "Unknown store", detail: $"near '{near}' is not one of our shops.", statusCode: 400);

        var dialect = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var known = (await connection.QueryAsync<string>($"SELECT sku FROM skus WHERE sku {dialect.InArray("@skus")}",
            new { skus = dialect.Array(skus) })).ToHashSet(StringComparer.Ordinal);
        if (skus.FirstOrDefault(s => !known.Contains(s)) is { } unknown)
            return Results.Problem(title: "Unknown SKU", detail: $"SKU '{unknown}' is not in the catalogue.", statusCode: 404);

        var levels = (await connection.QueryAsync<(string Sku, string StoreId, int OnHand, DateTimeOffset? CountedAt)>($"""
            SELECT sku, store_id, {StockLedger.OnHand("quantity")}, counted_at FROM stock WHERE sku {dialect.InArray("@skus")}
            """, new { skus = dialect.Array(skus) })).ToDictionary(r => (r.Sku, r.StoreId));
        // Through the pickup index (shop, status): the orders waiting in the shops, not every order ever placed; and open holds.
        var reserved = (await connection.QueryAsync<(string Sku, string StoreId, int Quantity)>($"""
            SELECT l.sku, o.pickup_store_id, SUM(l.quantity) FROM orders o JOIN order_lines l ON l.order_id = o.order_id
            WHERE o.pickup_store_id {dialect.InArray("@shops")} AND o.status = 'ready_for_pickup' AND o.fulfilment = 'click_and_collect'
              AND l.sku {dialect.InArray("@skus")}
            GROUP BY l.sku, o.pickup_store_id
            UNION ALL
            {HeldStock.BySkus(dialect, "@skus")}
            """, new { skus = dialect.Array(skus), shops = dialect.Array(stores.Shops.Select(s => s.StoreId).ToList()), now = clock.GetUtcNow() }))
            .GroupBy(r => (r.Sku, r.StoreId)).ToDictionary(g => g.Key, g => g.Sum(r => r.Quantity));

        var shops = near is null ? stores.Shops.ToList() : [stores.Find(near)!, .. stores.NearestShops(near)];
        return Results.Ok(skus.Select(sku => new SkuAvailability(sku, shops.Select(shop =>
        {
            var (onHand, countedAt) = levels.TryGetValue((sku, shop.StoreId), out var level) ? (level.OnHand, level.CountedAt) : (0, null);
            var held = Math.Min(onHand, reserved.GetValueOrDefault((sku, shop.StoreId)));
            return new StoreAvailability(shop.StoreId, onHand - held, onHand, held, countedAt);
        }).ToList())).ToList());
    }
}
