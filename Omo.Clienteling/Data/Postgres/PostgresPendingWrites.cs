using System.Data.Common;
using Npgsql;

namespace Omo.Clienteling.Data.Postgres;

/// <summary>Writes collected into one <see cref="NpgsqlBatch"/>: one round trip for all of them.</summary>
internal sealed class PostgresPendingWrites(DbConnection connection, DbTransaction transaction) : PendingWrites(connection, transaction)
{
    private readonly List<NpgsqlBatchCommand> _pending = [];

    public override ValueTask AddAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        _pending.Add(command);
        return ValueTask.CompletedTask;
    }

    public override async Task FlushAsync()
    {
        if (_pending.Count == 0) return;
        await using var batch = new NpgsqlBatch((NpgsqlConnection)Connection, (NpgsqlTransaction)Transaction);
        foreach (var command in _pending) batch.BatchCommands.Add(command);
        _pending.Clear();
        await batch.ExecuteNonQueryAsync();
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
