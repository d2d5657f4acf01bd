using System.Data.Common;

namespace Omo.Clienteling.Data;

/// <summary>
/// Writes inside a transaction whose results nobody reads before it commits (an events batch's cart and wishlist
/// changes). On a server database each would cost a round trip: they wait here and go together when
/// <see cref="FlushAsync"/> is called, before the next read and at the end. SQLite is in-process, so it runs them at
/// once. Either way they run in the order given, with the same SQL text.
/// </summary>
public abstract class PendingWrites(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    protected DbConnection Connection { get; } = connection;
    protected DbTransaction Transaction { get; } = transaction;

    /// <summary>A statement and its parameters (already in database types: unix milliseconds for times).</summary>
    public abstract ValueTask AddAsync(string sql, params (string Name, object? Value)[] parameters);

    public abstract Task FlushAsync();

    public abstract ValueTask DisposeAsync();
}
