using Dapper;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Demo;

/// <summary>A persona as the trainer's deck and the printable cards show it: who, and the codes they carry.</summary>
public sealed record PersonaCard(DemoPersona Persona, string? PointCard, string Tier, int Points);

/// <summary>
/// Stages the personas' scenarios live in front of a class: an arrival, an item in the online cart, a click & collect
/// order, a hold to try on, a styling appointment, a sale at the till, each sent through the events API as the app and the web shop would.
/// </summary>
public sealed class PersonaDeck(OmoDatabase database, DemoEventSender sender, TimeProvider clock)
{
    public async Task<IReadOnlyList<PersonaCard>> CardsAsync()
    {
        await using var c = await database.OpenAsync();
        var rows = (await c.QueryAsync<(long Id, string? Card, string Tier, int Points)>("""
            SELECT m.member_id, (SELECT value FROM member_identifiers i WHERE i.member_id = m.member_id AND i.kind = 'point_card' AND i.status = 'active' LIMIT 1),
                   m.tier, m.points
            FROM members m WHERE m.member_id <= @count
            """, new { count = DemoPersonas.All.Count })).ToDictionary(r => r.Id);
        return DemoPersonas.All.Where(p => rows.ContainsKey(p.MemberId))
            .Select(p => new PersonaCard(p, rows[p.MemberId].Card, rows[p.MemberId].Tier, rows[p.MemberId].Points)).ToList();
    }

    public async Task<DemoEventSender.Sent> ArriveAsync(DemoPersona persona, string storeId) =>
        await sender.SendAsync([sender.CheckIn(await IdentityOfAsync(persona), storeId, "app")]);

    public async Task<DemoEventSender.Sent> AddToCartAsync(DemoPersona persona, string storeId)
    {
        var (sku, _) = await InStockAsync(storeId);
        var identity = await IdentityOfAsync(persona);
        // Seen twice online first, as people do before they put something in the cart.
        return await sender.SendAsync([sender.ProductViewed(identity, sku, "app", 40), sender.ProductViewed(identity, sku, "ec", 65), sender.CartItemAdded(identity, sku)]);
    }

    public async Task<DemoEventSender.Sent> ClickAndCollectAsync(DemoPersona persona, string storeId)
    {
        var (sku, price) = await InStockAsync(storeId);
        return await sender.SendAsync(sender.ClickAndCollectReady(await IdentityOfAsync(persona), storeId, sku, price));
    }

    /// <summary>Something on the shelf here kept for them until tomorrow's closing time.</summary>
    public async Task<DemoEventSender.Sent> HoldAsync(DemoPersona persona, string storeId)
    {
        var (sku, _) = await InStockAsync(storeId);
        return await sender.SendAsync([sender.HoldRequested(await IdentityOfAsync(persona), storeId, sku, clock.Today().AddDays(1))]);
    }

    /// <summary>They buy at the till here: what is kept for them here (which completes the hold), else something off the shelf.</summary>
    public async Task<DemoEventSender.Sent> BuyAsync(DemoPersona persona, string storeId)
    {
        List<(string Sku, int Quantity, int Price)> held;
        await using (var c = await database.OpenAsync())
            held = (await c.QueryAsync<(string, int, int)>($"""
                SELECT l.sku, l.quantity, p.price FROM holds h JOIN hold_lines l ON l.hold_id = h.hold_id
                     JOIN skus k ON k.sku = l.sku JOIN products p ON p.style_code = k.style_code
                WHERE h.member_id = @MemberId AND h.store_id = @storeId AND {HeldStock.OpenHold}
                """, new { persona.MemberId, storeId, now = clock.GetUtcNow() })).ToList();
        if (held.Count == 0)
        {
            var (sku, price) = await InStockAsync(storeId);
            held.Add((sku, 1, price));
        }
        return await sender.SendAsync([sender.PosSale(await IdentityOfAsync(persona), storeId, held)]);
    }

    /// <summary>A styling session at the next full hour but one (tomorrow at 11:00 once the evening has come).</summary>
    public async Task<DemoEventSender.Sent> AppointmentAsync(DemoPersona persona, string storeId)
    {
        var now = clock.Now();
        var next = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Offset).AddHours(2);
        var startsAt = next.Hour is >= 11 and <= 18 && next.Day == now.Day ? next : ShopTime.At(clock.Today().AddDays(1), 11, 0);
        return await sender.SendAsync([sender.AppointmentBooked(await IdentityOfAsync(persona), storeId, startsAt)]);
    }

    /// <summary>The code the persona's app or card would present: the app membership where they have it, else the card.</summary>
    private async Task<object> IdentityOfAsync(DemoPersona persona)
    {
        await using var c = await database.OpenAsync();
        var (kind, value) = await c.QueryFirstOrDefaultAsync<(string, string)>("""
            SELECT kind, value FROM member_identifiers WHERE member_id = @MemberId AND status = 'active' AND kind IN ('app_member', 'point_card')
            ORDER BY kind = 'app_member' DESC LIMIT 1
            """, new { persona.MemberId });
        return kind is null ? DemoEventSender.AppMember(persona.MemberNo) : DemoEventSender.Identifier(kind, value);
    }

    private async Task<(string Sku, int Price)> InStockAsync(string storeId)
    {
        await using var c = await database.OpenAsync();
        return await c.QueryFirstAsync<(string, int)>("""
            SELECT s.sku, p.price FROM stock s JOIN skus k ON k.sku = s.sku JOIN products p ON p.style_code = k.style_code
            WHERE s.store_id = @storeId AND s.quantity > 0 ORDER BY random() LIMIT 1
            """, new { storeId });
    }
}
