using System.Diagnostics;

namespace Omo.Clienteling.LocalServers;

/// <summary>Runs the Debian server binaries the tests start (PostgreSQL, nginx), as the right user.</summary>
public static class LocalProcess
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a program to the end; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string? asUser = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(Start(file, arguments, asUser))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        var text = await output + await error;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {text}");
        return text;
    }

    /// <summary>Starts a program that keeps running (a server in the foreground); the caller stops it.</summary>
    public static Process Launch(string file, IEnumerable<string> arguments, string? asUser = null)
    {
        var process = Process.Start(Start(file, arguments, asUser))!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// PostgreSQL refuses to run as root, which CI machines are: there the binaries run as the user the Debian package
    /// creates (<paramref name="asUser"/>) through runuser; anyone else runs them as themselves.
    /// </summary>
    private static ProcessStartInfo Start(string file, IEnumerable<string> arguments, string? asUser)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asUser is not null && IsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", asUser, "--", file }) start.ArgumentList.Add(a);
        }
        else start.FileName = file;
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>Makes a folder the server's user owns (when running as root), so it can write there.</summary>
    public static async Task<string> FolderForAsync(string prefix, string? owner)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        if (owner is not null && IsRoot) await RunAsync("chown", [$"{owner}:{owner}", folder]);
        return folder;
    }
}
