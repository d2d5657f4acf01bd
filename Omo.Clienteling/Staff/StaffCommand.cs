using Omo.Clienteling.Catalog;

namespace Omo.Clienteling.Staff;

/// <summary>
/// <c>dotnet run --project Omo.Clienteling -- staff add CODE --name NAME --role ROLE [--store ID]</c>: how a real
/// deployment (no demo dataset, no demo staff) gets its first admin, who then adds everyone else on /admin/staff. The PIN
/// is read from standard input, so it never shows in the shell's history or the process list.
/// </summary>
public static class StaffCommand
{
    public const string Verb = "staff";
    private const string Usage = "Usage: staff add CODE --name NAME --role associate|manager|trainer|admin [--store ID]   (the PIN is read from standard input)";

    /// <summary>Who the audit log names for changes made from the server's command line.</summary>
    private static readonly StaffMember CommandLine = new("CONSOLE", "command line", StaffRoles.Admin, "-");

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextReader input, TextWriter output)
    {
        if (args.Count < 2 || args[0] != "add" || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            output.WriteLine(Usage);
            return 2;
        }
        var code = args[1];
        var options = args.Skip(2).ToList();
        string? Option(string name)
        {
            var at = options.IndexOf(name);
            return at >= 0 && at + 1 < options.Count ? options[at + 1] : null;
        }
        var (name, role, store) = (Option("--name"), Option("--role"), Option("--store"));
        if (name is null || role is null)
        {
            output.WriteLine(Usage);
            return 2;
        }
        if (store is not null && services.GetRequiredService<StoreDirectory>().Find(store) is not { IsShop: true })
        {
            output.WriteLine($"No shop '{store}': import the stores first (import stores.csv: docs/csv-formats.md).");
            return 1;
        }
        if (!Console.IsInputRedirected) output.Write("PIN (4 to 8 digits): ");
        var pin = input.ReadLine()?.Trim() ?? "";
        try
        {
            await services.GetRequiredService<StaffDirectory>().SaveAsync(code, name, role, store, pin, CommandLine);
        }
        catch (ArgumentException e)
        {
            output.WriteLine(e.Message.Split(" (Parameter")[0]);
            return 1;
        }
        output.WriteLine($"{StaffDirectory.NormaliseCode(code)} ({name}, {role}{(store is null ? "" : " of " + store)}) can sign in.");
        return 0;
    }
}
