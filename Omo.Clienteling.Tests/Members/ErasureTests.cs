using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public abstract class ErasureTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly byte[] Key = "test-app-code-key-0123456789"u8.ToArray();
    private TestDatabase _db = null!;
    private readonly TestClock _clock = new(TestDatabase.Now);

    public async Task InitializeAsync() => _db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 40);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<MemberLookup> Lookup(string code) =>
        new MemberLookupService(new IdentityResolver(_db.Database), Options.Create(new MemberCodeOptions { AppCodeKey = Convert.ToBase64String(Key) }), _clock).LookupAsync(code);

    [Fact]
    public async Task An_erased_member_leaves_no_personal_data_in_any_table_and_their_codes_answer_erased()
    {
        // Persona 9 has the richest trail: two records merged into one, cards, web account, orders, notes.
        const long persona = 9;
        var audit = new AuditLog(_db.Database, _clock);
        await audit.RecordAsync(AuditActions.ProfileViewed, "A001", "S01", persona, "scan");
        List<string> personal;
        List<long> memberIds;
        (string Family, string Given) name;
        await using (var c = await _db.OpenAsync())
        {
            memberIds = (await c.QueryAsync<long>("SELECT member_id FROM members WHERE member_id = @persona UNION SELECT merged_member_id FROM member_merges WHERE survivor_member_id = @persona", new { persona })).ToList();
            name = await c.QuerySingleAsync<(string, string)>("SELECT family_name, given_name FROM members WHERE member_id = @persona", new { persona });
            personal = (await c.QueryAsync<string>("SELECT value FROM member_identifiers WHERE member_id = @persona", new { persona }))
                .Concat(await c.QueryAsync<string>("SELECT email FROM members WHERE member_id = @persona AND email IS NOT NULL UNION SELECT phone FROM members WHERE member_id = @persona AND phone IS NOT NULL", new { persona }))
                .Concat(memberIds.Select(MemberNumber.Format)).ToList();
        }
        Assert.True(memberIds.Count >= 2, "persona 9 should have a merged duplicate");
        Assert.Contains(personal, p => p.StartsWith("29"));
        var card = personal.First(p => p.StartsWith("29") && p.Length == 13);

        var summary = await new MemberEraser(_db.Database, _clock).EraseAsync(persona, new StaffMember("X001", "管理者", StaffRoles.Admin, "S01"), "REQ-2026-0042");
        Assert.True(summary.Rows > 10);

        await using (var c = await _db.OpenAsync())
        {
            var leftovers = await RowsMentioningAsync(_db.Dialect, c, personal, name, memberIds);
            Assert.True(leftovers.Count == 0, "Personal data left: " + string.Join("; ", leftovers));
            var erasure = await c.QuerySingleAsync<(string Staff, long? Member, string Detail)>("SELECT staff_code, member_id, detail FROM audit_log WHERE action = 'member_erased'");
            Assert.Equal(("X001", (long?)null, "REQ-2026-0042"), erasure);
        }

        Assert.Equal(LookupOutcome.Erased, (await Lookup(card)).Outcome);
        Assert.Equal(LookupOutcome.Erased, (await Lookup(AppCode.Create(Key, MemberNumber.Format(persona), _clock.GetUtcNow()))).Outcome);
        Assert.Equal(LookupOutcome.Erased, (await Lookup(AppCode.Create(Key, MemberNumber.Format(memberIds.Max()), _clock.GetUtcNow()))).Outcome);
        Assert.Null(await (await ProfileServices.ForAsync(_db)).AssembleAsync(persona, "S01"));
        // Everyone else is untouched.
        Assert.Equal(LookupOutcome.Found, (await Lookup("2900000000018")).Outcome);
    }

    /// <summary>Every row of every table that still holds one of the values, the name, or the member ids in a member column.</summary>
    public static async Task<List<string>> RowsMentioningAsync(SqlDialect dialect, DbConnection c, List<string> values, (string Family, string Given) name, List<long> memberIds)
    {
        var found = new List<string>();
        foreach (var table in await dialect.TablesAsync(c))
        {
            var columns = await dialect.ColumnsAsync(c, table);
            foreach (IDictionary<string, object?> row in await c.QueryAsync($"SELECT * FROM {table}"))
            {
                var text = string.Join("|", row.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
                var memberColumn = columns.Where(col => col.EndsWith("member_id")).Any(col => row[col] is long id && memberIds.Contains(id));
                if (memberColumn || values.Any(text.Contains) || (text.Contains(name.Family) && text.Contains(name.Given)))
                    found.Add($"{table}: {text}");
            }
        }
        return found;
    }

    public sealed class OnSqlite() : ErasureTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ErasureTests(DatabaseProvider.Postgres);
}
