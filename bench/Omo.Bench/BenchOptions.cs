namespace Omo.Clienteling.Bench;

public sealed record BenchOptions(int Members, string DatabasePath, bool Fresh, int Samples, int Seed, HashSet<string>? Only)
{
    public bool Wants(string section) => Only is null || Only.Contains(section);

    public static BenchOptions Parse(string[] args)
    {
        int members = 1_000_000, samples = 2000, seed = 20261122;
        string? db = null;
        var fresh = false;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--members": members = int.Parse(args[++i]); break;
                case "--db": db = args[++i]; break;
                case "--fresh": fresh = true; break;
                case "--samples": samples = int.Parse(args[++i]); break;
                case "--seed": seed = int.Parse(args[++i]); break;
                case "--only": only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}. Options: --members N --db PATH --fresh --samples N --seed N --only a,b");
            }
        }
        db ??= Path.Combine(Path.GetTempPath(), $"omo-bench-{members}-{seed}.db");
        return new BenchOptions(members, Path.GetFullPath(db), fresh, samples, seed, only);
    }
}
