using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Omo.Clienteling.Data;

public sealed class DatabaseOptions
{
    public const string ConnectionStringName = "Omo";

    /// <summary>SQLite connection string; default <c>Data Source=App_Data/omo.db</c> under the app's content root.</summary>
    public string ConnectionString { get; set; } = "";
}

/// <summary>Opens connections to the member store with the pragmas every connection needs.</summary>
public sealed class OmoDatabase(IOptions<DatabaseOptions> options)
{
    private readonly string _connectionString = options.Value.ConnectionString;

    public string ConnectionString => _connectionString;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Per-connection settings: WAL itself is persistent and set once by the migrator. synchronous = FULL makes
        // every commit (an accepted events batch) survive a power cut, not only a process restart; WalCheckpointer
        // does the checkpoints in the background, with SQLite's own kept as a backstop at 64 MiB of log.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 16384;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: all of it is written, or none of it.</summary>
    public T InTransaction<T>(Func<IDbConnection, IDbTransaction, T> work)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    public static string DefaultConnectionString(string contentRoot)
    {
        var folder = Path.Combine(contentRoot, "App_Data");
        return $"Data Source={Path.Combine(folder, "omo.db")}";
    }

    /// <summary>Makes sure the folder of a file database exists, so a first start can create it.</summary>
    public void EnsureFolder()
    {
        var path = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        if (string.IsNullOrEmpty(path) || path == ":memory:" || path.StartsWith("file:", StringComparison.Ordinal)) return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}
