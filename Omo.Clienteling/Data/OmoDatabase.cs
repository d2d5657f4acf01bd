using System.Data.Common;

namespace Omo.Clienteling.Data;

/// <summary>Connections to the member store, on whichever provider is configured.</summary>
public sealed class OmoDatabase(SqlDialect dialect)
{
    private const int Attempts = 5;

    public SqlDialect Dialect => dialect;

    public DatabaseProvider Provider => dialect.Provider;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => dialect.OpenAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: all of it is written, or none of it. After a deadlock with
    /// another writer (another server, on PostgreSQL) the whole transaction runs again, so <paramref name="work"/> must
    /// keep its results inside the transaction or return them, not change anything else along the way.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (Exception e) when (attempt < Attempts && dialect.IsTransient(e))
            {
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            }
        }
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, t) =>
        {
            await work(c, t);
            return true;
        }, cancellationToken);
}
