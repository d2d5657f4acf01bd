using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
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
        await using var services = await TestServices.CreateAsync(_db, _clock);
        var audit = services.GetRequiredService<AuditLog>();
        await audit.RecordAsync(AuditActions.ProfileViewed, "A001", "S01", persona, "scan");
        // Something kept for her and a visit booked, with a note in her own words.
        const string note = "娘の入学式の服を相談したい";
        string sku;
        await using (var c = await _db.OpenAsync()) sku = await c.QueryFirstAsync<string>("SELECT sku FROM skus ORDER BY sku LIMIT 1");
        var booked = await Events.IngestAsync(services,
            Events.Hold(Events.Card(Gs1.PointCardNumber(persona)), "S01", "H-ERASE-9", TestDatabase.Today.AddDays(1), TestDatabase.Now.AddMinutes(-5), lines: (sku, 1)),
            Events.Appointment(Events.Card(Gs1.PointCardNumber(persona)), "S01", "A-ERASE-9", TestDatabase.Now.AddDays(1), TestDatabase.Now.AddMinutes(-5), note: note));
        Assert.True(booked.Accepted == 2, string.Join("; ", booked.Rejected.Select(r => r.Detail)));
        List<string> personal;
        List<long> memberIds;
        (string Family, string Given) name;
        await using (var c = await _db.OpenAsync())
        {
            memberIds = (await c.QueryAsync<long>("SELECT member_id FROM members WHERE member_id = @persona UNION SELECT merged_member_id FROM member_merges WHERE survivor_member_id = @persona", new { persona })).ToList();
            name = await c.QuerySingleAsync<(string, string)>("SELECT family_name, given_name FROM members WHERE member_id = @persona", new { persona });
            personal = (await c.QueryAsync<string>("SELECT value FROM member_identifiers WHERE member_id = @persona", new { persona }))
                .Concat(await c.QueryAsync<string>("SELECT email FROM members WHERE member_id = @persona AND email IS NOT NULL UNION SELECT phone FROM members WHERE member_id = @persona AND phone IS NOT NULL", new { persona }))
                .Concat(memberIds.Select(MemberNumber.Format)).Append(note).ToList();
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

    [Fact]
    public async Task After_an_erasure_no_byte_of_the_members_identifiers_name_email_or_notes_is_left_in_the_database_or_its_log()
    {
        const long persona = 9;
        await using var services = await TestServices.CreateAsync(_db, _clock);
        // A trail as a real shop leaves one: a note, a web-shop account that looks like a staff code, and that account
        // and the member's card typed into the staff-code field by mistake.
        const string Note = "消去確認メモ: 赤いワンピースの試着、次回サイズ9号を取り置き希望";
        const string Account = "W7391046";
        await services.GetRequiredService<StaffNotes>().AddAsync(persona, "A001", "S01", Note);
        List<string> personal;
        await using (var c = await _db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE members SET family_name = '消去確認', given_name = '花子テスト' WHERE member_id = @persona", new { persona });
            await c.ExecuteAsync("INSERT INTO member_identifiers (kind, value, member_id, linked_at) VALUES ('ec_account', @Account, @persona, 0)", new { Account, persona });
            personal = (await c.QueryAsync<string>(
                    "SELECT value FROM member_identifiers WHERE member_id = @persona AND kind <> 'app_member' UNION SELECT email FROM members WHERE member_id = @persona UNION SELECT phone FROM members WHERE member_id = @persona",
                    new { persona })).Where(v => v is not null).ToList();
        }
        var card = personal.First(p => p.StartsWith("29") && p.Length == 13);
        var staff = services.GetRequiredService<StaffDirectory>();
        await staff.CheckPinAsync(Account.ToLowerInvariant(), "1111", "signin", new SignInGuard.Client("10.9.9.9", null));
        await staff.CheckPinAsync(card, "1111", "signin", new SignInGuard.Client("10.9.9.9", null));
        personal.AddRange([Note, "消去確認", "花子テスト"]);
        Assert.Contains(Account, personal);
        Assert.Contains(personal, p => p.Contains('@'));
        // Before: every value is there to be found, so the search below can see what it looks for.
        var before = await StoredBytesAsync();
        Assert.All(personal, value => Assert.True(Contains(before, value), $"'{value}' should be stored before the erasure"));

        await services.GetRequiredService<MemberEraser>().EraseAsync(persona, new StaffMember("X001", "管理者", StaffRoles.Admin, "S01"), "REQ-2026-0077");

        var after = await StoredBytesAsync();
        Assert.All(personal, value => Assert.False(Contains(after, value), $"'{value}' is still stored after the erasure"));
        await using var check = await _db.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE staff_code = @Account", new { Account }));
        Assert.Equal("REQ-2026-0077", await check.ExecuteScalarAsync<string>("SELECT erased_ref FROM audit_log WHERE action = 'sign_in_failed' AND client_address = '10.9.9.9' AND erased_ref IS NOT NULL"));
    }

    private static bool Contains(IReadOnlyList<byte[]> stored, string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return stored.Any(b => b.AsSpan().IndexOf(bytes) >= 0);
    }

    /// <summary>
    /// What the database keeps, as bytes. SQLite: the database file and its write-ahead log, whole. PostgreSQL: every
    /// tuple, live or dead, in every table, TOAST table and index of the database, read with pageinspect (the pages'
    /// free space is not searched: VACUUM removes dead tuples but PostgreSQL does not zero the space they leave; see
    /// the README on erasure).
    /// </summary>
    private async Task<IReadOnlyList<byte[]>> StoredBytesAsync()
    {
        if (_db.File is { } file)
            return [.. new[] { file, file + "-wal" }.Where(File.Exists).Select(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            })];
        await using var c = await _db.OpenAsync();
        await c.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pageinspect");
        var relations = await c.QueryAsync<(string Name, string Kind, long Blocks)>("""
            SELECT c.oid::regclass::text, c.relkind::text, pg_relation_size(c.oid) / current_setting('block_size')::int
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 't', 'i') AND c.relpersistence = 'p'
              AND (c.relkind <> 'i' OR c.relam = (SELECT oid FROM pg_am WHERE amname = 'btree'))
            """);
        var tuples = new List<byte[]>();
        foreach (var (name, kind, blocks) in relations)
        for (var block = 0; block < blocks; block++)
        {
            // Index pages 0 of a B-tree is its metapage, which holds no items.
            if (kind == "i" && block == 0) continue;
            tuples.AddRange(kind == "i"
                ? (await c.QueryAsync<string>("SELECT data FROM bt_page_items(get_raw_page(@name, @block)) WHERE data IS NOT NULL",
                    new { name, block })).Select(hex => Convert.FromHexString(hex.Replace(" ", "")))
                : (await c.QueryAsync<byte[]>("SELECT t_data FROM heap_page_items(get_raw_page(@name, @block)) WHERE t_data IS NOT NULL",
                    new { name, block })));
        }
        return tuples;
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
