using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public sealed class ErasureTests : IDisposable
{
    private static readonly byte[] Key = "test-app-code-key-0123456789"u8.ToArray();
    private readonly TestDatabase _db = new TestDatabase().WithDemoData(members: 40);
    private readonly TestClock _clock = new(TestDatabase.Now);

    public void Dispose() => _db.Dispose();

    private MemberLookup Lookup(string code) =>
        new MemberLookupService(new IdentityResolver(_db.Database), Options.Create(new MemberCodeOptions { AppCodeKey = Convert.ToBase64String(Key) }), _clock).Lookup(code);

    [Fact]
    public void An_erased_member_leaves_no_personal_data_in_any_table_and_their_codes_answer_erased()
    {
        // Persona 9 has the richest trail: two records merged into one, cards, web account, orders, notes.
        const long persona = 9;
        var audit = new AuditLog(_db.Database, _clock);
        audit.Record(AuditActions.ProfileViewed, "A001", "S01", persona, "scan");
        List<string> personal;
        List<long> memberIds;
        (string Family, string Given) name;
        using (var c = _db.Open())
        {
            memberIds = c.Query<long>("SELECT @persona UNION SELECT merged_member_id FROM member_merges WHERE survivor_member_id = @persona", new { persona }).ToList();
            name = c.QuerySingle<(string, string)>("SELECT family_name, given_name FROM members WHERE member_id = @persona", new { persona });
            personal = c.Query<string>("SELECT value FROM member_identifiers WHERE member_id = @persona", new { persona })
                .Concat(c.Query<string>("SELECT email FROM members WHERE member_id = @persona AND email IS NOT NULL UNION SELECT phone FROM members WHERE member_id = @persona AND phone IS NOT NULL", new { persona }))
                .Concat(memberIds.Select(MemberNumber.Format)).ToList();
        }
        Assert.True(memberIds.Count >= 2, "persona 9 should have a merged duplicate");
        Assert.Contains(personal, p => p.StartsWith("29"));
        var card = personal.First(p => p.StartsWith("29") && p.Length == 13);

        var summary = new MemberEraser(_db.Database, _clock).Erase(persona, new StaffMember("X001", "管理者", StaffRoles.Admin, "S01"), "REQ-2026-0042");
        Assert.True(summary.Rows > 10);

        using (var c = _db.Open())
        {
            var leftovers = RowsMentioning(c, personal, name, memberIds);
            Assert.True(leftovers.Count == 0, "Personal data left: " + string.Join("; ", leftovers));
            var erasure = c.QuerySingle<(string Staff, long? Member, string Detail)>("SELECT staff_code, member_id, detail FROM audit_log WHERE action = 'member_erased'");
            Assert.Equal(("X001", (long?)null, "REQ-2026-0042"), erasure);
        }

        Assert.Equal(LookupOutcome.Erased, Lookup(card).Outcome);
        Assert.Equal(LookupOutcome.Erased, Lookup(AppCode.Create(Key, MemberNumber.Format(persona), _clock.GetUtcNow())).Outcome);
        Assert.Equal(LookupOutcome.Erased, Lookup(AppCode.Create(Key, MemberNumber.Format(memberIds.Max()), _clock.GetUtcNow())).Outcome);
        Assert.Null(ProfileServices.For(_db).Assemble(persona, "S01"));
        // Everyone else is untouched.
        Assert.Equal(LookupOutcome.Found, Lookup("2900000000018").Outcome);
    }

    /// <summary>Every row of every table that still holds one of the values, the name, or the member ids in a member column.</summary>
    private static List<string> RowsMentioning(SqliteConnection c, List<string> values, (string Family, string Given) name, List<long> memberIds)
    {
        var found = new List<string>();
        foreach (var table in c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        {
            var columns = c.Query<string>($"SELECT name FROM pragma_table_info('{table}')").ToList();
            foreach (IDictionary<string, object?> row in c.Query($"SELECT * FROM \"{table}\""))
            {
                var text = string.Join("|", row.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
                var memberColumn = columns.Where(col => col.EndsWith("member_id")).Any(col => row[col] is long id && memberIds.Contains(id));
                if (memberColumn || values.Any(text.Contains) || (text.Contains(name.Family) && text.Contains(name.Given)))
                    found.Add($"{table}: {text}");
            }
        }
        return found;
    }
}
