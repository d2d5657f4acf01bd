using Omo.Clienteling.Data;

namespace Omo.Clienteling.Bench;

public sealed record BenchOptions(
    int Members, IReadOnlyList<DatabaseProvider> Providers, string SqlitePath, string? PostgresConnection, string PostgresFolder,
    bool Fresh, int Samples, int Seed, HashSet<string>? Only, int ImportStockRows = 500_000)
{
    public bool Wants(string section) => Only is null || Only.Contains(section);

    public const string Usage =
        "Options: --members N --provider sqlite|postgres|sqlite,postgres --db PATH (SQLite file) --pg CONNECTION (an existing PostgreSQL database; " +
        "default: a cluster of the benchmark's own in --pg-folder) --pg-folder PATH --fresh --samples N --seed N --only a,b --import-rows N (stock rows of the import section)";

    public static BenchOptions Parse(string[] args)
    {
        int members = 1_000_000, samples = 2000, seed = 20261122, importRows = 500_000;
        string? db = null, pg = null, pgFolder = null;
        var fresh = false;
        List<DatabaseProvider> providers = [DatabaseProvider.Sqlite];
        HashSet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--members": members = int.Parse(args[++i]); break;
                case "--provider":
                    providers = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(p => Enum.TryParse<DatabaseProvider>(p, ignoreCase: true, out var parsed) ? parsed : throw new ArgumentException($"Unknown provider {p}. {Usage}"))
                        .ToList();
                    break;
                case "--db": db = args[++i]; break;
                case "--pg": pg = args[++i]; break;
                case "--pg-folder": pgFolder = args[++i]; break;
                case "--fresh": fresh = true; break;
                case "--samples": samples = int.Parse(args[++i]); break;
                case "--seed": seed = int.Parse(args[++i]); break;
                case "--import-rows": importRows = int.Parse(args[++i]); break;
                case "--only": only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}. {Usage}");
            }
        }
        db ??= Path.Combine(Path.GetTempPath(), $"omo-bench-{members}-{seed}.db");
        pgFolder ??= Path.Combine(Path.GetTempPath(), "omo-bench-pg");
        return new BenchOptions(members, providers, Path.GetFullPath(db), pg, pgFolder, fresh, samples, seed, only, importRows);
    }
}
