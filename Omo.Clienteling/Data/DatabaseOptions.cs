namespace Omo.Clienteling.Data;

/// <summary>Which database the member store lives in (docs/settings.md, <c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file: one server, a single shop or a small chain. The default.</summary>
    Sqlite,

    /// <summary>PostgreSQL: a chain running several app servers on one database.</summary>
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Omo";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// <c>ConnectionStrings:Omo</c>. SQLite default: <c>Data Source=App_Data/omo.db</c> under the app's content root;
    /// PostgreSQL has no default (e.g. <c>Host=db;Database=omo;Username=omo;Password=…</c>).
    /// </summary>
    public string ConnectionString { get; set; } = "";
}
