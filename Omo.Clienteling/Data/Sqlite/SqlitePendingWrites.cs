using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Omo.Clienteling.Data.Sqlite;

/// <summary>No round trips to save: each write runs at once, on a prepared command kept per statement.</summary>
internal sealed class SqlitePendingWrites(DbConnection connection, DbTransaction transaction) : PendingWrites(connection, transaction)
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public override ValueTask AddAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = SqliteDialect.Native(Connection).CreateCommand();
            command.CommandText = sql;
            command.Transaction = (SqliteTransaction)Transaction;
            foreach (var (name, _) in parameters) command.Parameters.Add(new SqliteParameter("@" + name, null));
            command.Prepare();
            _commands[sql] = command;
        }
        for (var i = 0; i < parameters.Length; i++) command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        command.ExecuteNonQuery();
        return ValueTask.CompletedTask;
    }

    public override Task FlushAsync() => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values) await command.DisposeAsync();
    }
}
