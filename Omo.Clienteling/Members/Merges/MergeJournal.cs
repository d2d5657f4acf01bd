using System.Data.Common;
using System.Text.Json;
using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Members;

/// <summary>
/// Exactly what one merge took from the merged record, written in the merge's own transaction (merge_journal.moved), so a
/// split can give that record back its rows and values and leave everything recorded for the survivor since the merge
/// with the survivor (docs/merges.md).
/// </summary>
public sealed class MergeJournal
{
    /// <summary>A table whose rows change owner in a merge, and the columns that find each row again on the way back.</summary>
    private sealed record MovedTable(string Name, string[] Match, bool Keyed);

    // Keyed tables are found again by their key. History tables have none: a row is its whole content, and a split moves
    // back one matching row per row journaled (two identical rows are the same record either way).
    private static readonly MovedTable[] Tables =
    [
        new("member_identifiers", ["kind", "value"], Keyed: true),
        new("orders", ["order_id"], Keyed: true),
        new("receipts", ["receipt_id"], Keyed: true),
        new("check_ins", ["check_in_id"], Keyed: true),
        new("staff_notes", ["note_id"], Keyed: true),
        new("talking_point_feedback", ["feedback_id"], Keyed: true),
        new("holds", ["hold_id"], Keyed: true),
        new("appointments", ["appointment_id"], Keyed: true),
        new("follow_ups", ["follow_up_id"], Keyed: true),
        new("product_views", ["occurred_at", "sku", "channel", "seconds"], Keyed: false),
        new("page_views", ["occurred_at", "page", "channel"], Keyed: false),
        new("cart_events", ["occurred_at", "sku", "quantity", "action"], Keyed: false),
        new("try_ons", ["occurred_at", "store_id", "sku"], Keyed: false),
    ];

    /// <summary>The tables a merge moves by owner, for <see cref="MemberMerger"/>.</summary>
    public static IEnumerable<string> MovedTables => Tables.Select(t => t.Name);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Per table, the merged record's rows (the table's match columns, in order).</summary>
    public Dictionary<string, List<object?[]>> Rows { get; init; } = [];

    /// <summary>Records merged into the merged one earlier: the merge pointed them at the survivor.</summary>
    public List<long> Repointed { get; init; } = [];

    /// <summary>The merged record's personal data and points, which the merge cleared.</summary>
    public MemberValues Merged { get; init; } = new();

    /// <summary>The survivor's values before the merge, which it may have filled in or added to.</summary>
    public MemberValues Survivor { get; init; } = new();

    public List<CartLine> MergedCart { get; init; } = [];
    public List<CartLine> SurvivorCart { get; init; } = [];
    public List<CartLine> MergedWishlist { get; init; } = [];
    public List<CartLine> SurvivorWishlist { get; init; } = [];

    /// <summary>How many rows of each kind moved, for the merges page.</summary>
    public IReadOnlyDictionary<string, int> Counts() =>
        Rows.Where(t => t.Value.Count > 0).Select(t => (t.Key, t.Value.Count))
            .Append(("cart_lines", MergedCart.Count)).Append(("wishlist_items", MergedWishlist.Count))
            .Where(t => t.Item2 > 0).ToDictionary(t => t.Item1, t => t.Item2);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Forgets what merge <paramref name="mergeId"/> moved (the merged record's personal data, identifiers and rows) once
    /// that is back with the merged record (a split) or the merge can no longer be split. How many rows of each kind
    /// moved stays, for the merges page.
    /// </summary>
    public Task ForgetAsync(DbConnection c, DbTransaction t, long mergeId) =>
        c.ExecuteAsync("UPDATE merge_journal SET moved = NULL, moved_counts = @counts WHERE merge_id = @mergeId",
            new { mergeId, counts = JsonSerializer.Serialize(Counts(), Json) }, t);

    /// <summary>The counts a forgotten journal entry kept (merge_journal.moved_counts).</summary>
    public static IReadOnlyDictionary<string, int> CountsFromJson(string json) => JsonSerializer.Deserialize<Dictionary<string, int>>(json, Json)!;

    public static MergeJournal FromJson(string json) => JsonSerializer.Deserialize<MergeJournal>(json, Json)!;

    /// <summary>Reads what a merge of <paramref name="merged"/> into <paramref name="survivor"/> is about to move, in one round trip.</summary>
    public static async Task<MergeJournal> CaptureAsync(DbConnection c, DbTransaction t, long survivor, long merged)
    {
        var sql = string.Concat(Tables.Select(table => $"SELECT {string.Join(", ", table.Match)} FROM {table.Name} WHERE member_id = @merged;\n")) + $"""
            SELECT sku, quantity, added_at FROM cart_lines WHERE member_id = @merged;
            SELECT sku, quantity, added_at FROM cart_lines WHERE member_id = @survivor AND sku IN (SELECT sku FROM cart_lines WHERE member_id = @merged);
            SELECT sku, 0 AS quantity, added_at FROM wishlist_items WHERE member_id = @merged;
            SELECT sku, 0 AS quantity, added_at FROM wishlist_items WHERE member_id = @survivor AND sku IN (SELECT sku FROM wishlist_items WHERE member_id = @merged);
            SELECT merged_member_id FROM member_merges WHERE survivor_member_id = @merged;
            SELECT {MemberValues.Columns} FROM members WHERE member_id = @merged;
            SELECT {MemberValues.Columns} FROM members WHERE member_id = @survivor;
            """;
        await using var grid = await c.QueryMultipleAsync(sql, new { survivor, merged }, t);
        var rows = new Dictionary<string, List<object?[]>>();
        foreach (var table in Tables)
            rows[table.Name] = (await grid.ReadAsync()).Select(row => ((IDictionary<string, object?>)row).Values
                .Select(v => v is DBNull ? null : v).ToArray()).ToList();
        return new MergeJournal
        {
            Rows = rows,
            MergedCart = (await grid.ReadAsync<CartLine>()).ToList(),
            SurvivorCart = (await grid.ReadAsync<CartLine>()).ToList(),
            MergedWishlist = (await grid.ReadAsync<CartLine>()).ToList(),
            SurvivorWishlist = (await grid.ReadAsync<CartLine>()).ToList(),
            Repointed = (await grid.ReadAsync<long>()).ToList(),
            Merged = await grid.ReadSingleAsync<MemberValues>(),
            Survivor = await grid.ReadSingleAsync<MemberValues>(),
        };
    }

    /// <summary>
    /// Gives the merged record back what this journal says it brought: its rows (those still with the survivor), its
    /// cart and wishlist, its personal data and points, and the records merged into it before. A value of the survivor's
    /// that changed after the merge is the survivor's and stays; a row gone since (an identifier unlinked) stays gone.
    /// </summary>
    public async Task RestoreAsync(SqlDialect dialect, DbConnection c, DbTransaction t, long survivor, long merged, DateTimeOffset at)
    {
        await using (var writes = dialect.PendingWrites(c, t))
        {
            foreach (var table in Tables)
            {
                var match = string.Join(" AND ", table.Match.Select((column, i) => $"{column} = @p{i}"));
                var sql = table.Keyed
                    ? $"UPDATE {table.Name} SET member_id = @merged WHERE member_id = @survivor AND {match}"
                    : $"UPDATE {table.Name} SET member_id = @merged WHERE {dialect.RowId} = (SELECT {dialect.RowId} FROM {table.Name} WHERE member_id = @survivor AND {match} LIMIT 1)";
                foreach (var row in Rows.GetValueOrDefault(table.Name) ?? [])
                    await writes.AddAsync(sql, [("merged", merged), ("survivor", survivor), .. row.Select((value, i) => ($"p{i}", Value(value)))]);
            }
            await writes.FlushAsync();
        }
        await RestoreCartAsync(c, t, survivor, merged);
        await RestoreMembersAsync(c, t, survivor, merged, at);
        await c.ExecuteAsync($"""
            DELETE FROM member_merges WHERE merged_member_id = @merged;
            UPDATE member_merges SET survivor_member_id = @merged WHERE survivor_member_id = @survivor AND merged_member_id {dialect.InArray("@repointed")};
            """, new { survivor, merged, repointed = dialect.Array(Repointed) }, t);
    }

    /// <summary>The merge added the merged record's lines to the survivor's; a line nobody touched since goes back to how it was.</summary>
    private async Task RestoreCartAsync(DbConnection c, DbTransaction t, long survivor, long merged)
    {
        var cart = (await c.QueryAsync<CartLine>("SELECT sku, quantity, added_at FROM cart_lines WHERE member_id = @survivor", new { survivor }, t))
            .ToDictionary(l => l.Sku);
        var wishlist = (await c.QueryAsync<CartLine>("SELECT sku, 0 AS quantity, added_at FROM wishlist_items WHERE member_id = @survivor", new { survivor }, t))
            .ToDictionary(l => l.Sku);
        foreach (var line in MergedCart)
        {
            await c.ExecuteAsync("INSERT INTO cart_lines (member_id, sku, quantity, added_at) VALUES (@merged, @Sku, @Quantity, @AddedAt) ON CONFLICT DO NOTHING",
                new { merged, line.Sku, line.Quantity, line.AddedAt }, t);
            var before = SurvivorCart.FirstOrDefault(l => l.Sku == line.Sku);
            var combined = before is null ? line : before with { Quantity = before.Quantity + line.Quantity, AddedAt = Math.Min(before.AddedAt, line.AddedAt) };
            if (cart.GetValueOrDefault(line.Sku) != combined) continue;
            await c.ExecuteAsync(before is null
                    ? "DELETE FROM cart_lines WHERE member_id = @survivor AND sku = @Sku"
                    : "UPDATE cart_lines SET quantity = @Quantity, added_at = @AddedAt WHERE member_id = @survivor AND sku = @Sku",
                new { survivor, line.Sku, before?.Quantity, before?.AddedAt }, t);
        }
        foreach (var item in MergedWishlist)
        {
            await c.ExecuteAsync("INSERT INTO wishlist_items (member_id, sku, added_at) VALUES (@merged, @Sku, @AddedAt) ON CONFLICT DO NOTHING",
                new { merged, item.Sku, item.AddedAt }, t);
            if (SurvivorWishlist.All(i => i.Sku != item.Sku) && wishlist.GetValueOrDefault(item.Sku) == item)
                await c.ExecuteAsync("DELETE FROM wishlist_items WHERE member_id = @survivor AND sku = @Sku", new { survivor, item.Sku }, t);
        }
    }

    /// <summary>The merged record gets its personal data and points back; the survivor gives back what it took over, unless it changed since.</summary>
    private async Task RestoreMembersAsync(DbConnection c, DbTransaction t, long survivor, long merged, DateTimeOffset at)
    {
        var now = await c.QuerySingleAsync<MemberValues>($"SELECT {MemberValues.Columns} FROM members WHERE member_id = @survivor", new { survivor }, t);
        var expiryAfterMerge = Merged.PointsExpireOn is not { } theirs ? Survivor.PointsExpireOn
            : Survivor.PointsExpireOn is not { } ours ? theirs : (ours < theirs ? ours : theirs);
        var restored = now with
        {
            Email = Survivor.Email is null && now.Email == Merged.Email ? null : now.Email,
            Phone = Survivor.Phone is null && now.Phone == Merged.Phone ? null : now.Phone,
            Points = Math.Max(0, now.Points - Merged.Points),
            PointsExpireOn = now.PointsExpireOn == expiryAfterMerge ? Survivor.PointsExpireOn : now.PointsExpireOn,
        };
        await c.ExecuteAsync($"""
            UPDATE members SET {MemberValues.Assignments}, updated_at = @at WHERE member_id = @memberId
            """, new[] { Parameters(Merged, merged, at), Parameters(restored, survivor, at) }, t);
    }

    private static object Parameters(MemberValues v, long memberId, DateTimeOffset at) => new
    {
        memberId, at, v.FamilyName, v.GivenName, v.FamilyNameKana, v.GivenNameKana, v.Email, v.Phone, v.BirthMonth, v.Points, v.PointsExpireOn,
    };

    /// <summary>A journaled value as a parameter: JSON numbers are the tables' integers, strings their text.</summary>
    private static object? Value(object? journaled) => journaled switch
    {
        JsonElement { ValueKind: JsonValueKind.Number } n => n.GetInt64(),
        JsonElement { ValueKind: JsonValueKind.String } s => s.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        _ => journaled,
    };

    /// <summary>The identifiers the merge moved, as (kind, value).</summary>
    public IEnumerable<(string Kind, string Value)> Identifiers =>
        Rows.GetValueOrDefault("member_identifiers", []).Select(k => ((string)Value(k[0])!, (string)Value(k[1])!));
}

/// <summary>A cart line or (quantity 0) a wishlist item, as the merge found it.</summary>
public sealed record CartLine
{
    public string Sku { get; init; } = "";
    public int Quantity { get; init; }
    public long AddedAt { get; init; }
}

/// <summary>The member values a merge clears on the merged record or fills in on the survivor.</summary>
public sealed record MemberValues
{
    public const string Columns = "family_name, given_name, family_name_kana, given_name_kana, email, phone, birth_month, points, points_expire_on";

    public const string Assignments = """
        family_name = @FamilyName, given_name = @GivenName, family_name_kana = @FamilyNameKana, given_name_kana = @GivenNameKana,
        email = @Email, phone = @Phone, birth_month = @BirthMonth, points = @Points, points_expire_on = @PointsExpireOn
        """;

    public string? FamilyName { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyNameKana { get; init; }
    public string? GivenNameKana { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public int? BirthMonth { get; init; }
    public int Points { get; init; }
    public DateOnly? PointsExpireOn { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string DisplayName => string.Join(" ", new[] { FamilyName, GivenName }.Where(n => !string.IsNullOrEmpty(n)));
}
