using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Members;

/// <summary>Notes an assistant leaves on a member for the next colleague.</summary>
public sealed class StaffNotes(OmoDatabase database, TimeProvider clock)
{
    public const int MaxLength = 500;

    public async Task<long> AddAsync(long memberId, string staffCode, string? storeId, string body)
    {
        var text = body.Trim();
        if (text.Length == 0) throw new ArgumentException("A note needs some text.", nameof(body));
        // The tablet's field stops at the limit too, but only the server's check counts.
        SafeText.Require(text, MaxLength, "note", multiline: true);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO staff_notes (member_id, staff_code, store_id, body, created_at) VALUES (@memberId, @staffCode, @storeId, @text, @now)
            RETURNING note_id
            """, new { memberId, staffCode, storeId, text, now = clock.GetUtcNow() });
    }
}
