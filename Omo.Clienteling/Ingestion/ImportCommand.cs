using System.Diagnostics;
using System.Text.Json;

namespace Omo.Clienteling.Ingestion;

/// <summary>
/// <c>dotnet run --project Omo.Clienteling -- import &lt;file&gt; [--sender pos-export]</c>: for systems that export
/// files. An <c>.ndjson</c> file holds one event per line; a <c>.csv</c> file is stores, products or stock by its header
/// line (<see cref="CsvEvents"/>). Either goes through the same validation and ingestion as the API, in chunks that are
/// each one transaction: a chunk lands whole or not at all.
/// </summary>
public static class ImportCommand
{
    public const string Verb = "import";
    private const int BatchSize = 500;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output)
    {
        var file = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var senderAt = args.ToList().IndexOf("--sender");
        var sender = senderAt >= 0 && senderAt + 1 < args.Count ? args[senderAt + 1] : "import";
        if (file is null || !File.Exists(file))
        {
            output.WriteLine(file is null ? "Usage: import <file.ndjson|file.csv> [--sender <system>]" : $"No such file: {file}");
            return 2;
        }

        var reader = services.GetRequiredService<EventReader>();
        var ingestor = services.GetRequiredService<EventIngestor>();
        var clock = Stopwatch.StartNew();
        int accepted = 0, duplicates = 0, lines = 0;
        var rejected = new List<Rejection>();
        var pending = new List<PendingLink>();
        await using var stream = File.OpenRead(file);
        using var text = new StreamReader(stream);
        var batch = new List<(int Line, string Text)>(BatchSize);
        // How far the import is, for the progress bar: through the file's bytes, or through a CSV file's events.
        Func<(long Done, long Total)> position = () => (stream.Position, stream.Length);

        async Task Flush()
        {
            var documents = new List<JsonDocument>(batch.Count);
            var unreadable = new List<Rejection>();
            var readable = new List<(int, JsonElement)>();
            foreach (var (line, json) in batch)
            {
                // The reader puts U+FFFD where the file's bytes are not UTF-8: such a line is refused, not stored garbled.
                if (json.Contains('\uFFFD'))
                {
                    unreadable.Add(new Rejection(line, null, "Line is not valid UTF-8", "This line has bytes that are not UTF-8; save the file as UTF-8 and import it again."));
                    continue;
                }
                try
                {
                    var document = JsonDocument.Parse(json);
                    documents.Add(document);
                    readable.Add((line, document.RootElement));
                }
                catch (JsonException e)
                {
                    unreadable.Add(new Rejection(line, null, "Line is not valid JSON", e.Message));
                }
            }
            var (valid, invalid) = reader.ReadBatch(readable, SenderScope.Everything);
            var result = await ingestor.IngestAsync(sender, valid, [.. unreadable, .. invalid]);
            documents.ForEach(d => d.Dispose());
            accepted += result.Accepted;
            duplicates += result.Duplicates;
            rejected.AddRange(result.Rejected);
            pending.AddRange(result.Pending);
            batch.Clear();
            var (done, total) = position();
            Progress(output, done, total, lines);
        }

        if (file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            CsvEvents.CsvFile csv;
            try
            {
                csv = CsvEvents.Read(await File.ReadAllBytesAsync(file), services.GetRequiredService<TimeProvider>().GetUtcNow());
            }
            catch (CsvEvents.Unreadable e)
            {
                output.WriteLine($"{file}: {e.Message}");
                return 1;
            }
            position = () => (lines, csv.Lines);
            foreach (var item in csv.Items)
            {
                lines = item.Line;
                if (item.Refused is { } refused) rejected.Add(refused);
                else batch.Add((item.Line, item.Json!));
                if (batch.Count == BatchSize) await Flush();
            }
        }
        else
            while (await text.ReadLineAsync() is { } line)
            {
                lines++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                batch.Add((lines, line));
                if (batch.Count == BatchSize) await Flush();
            }
        if (batch.Count > 0) await Flush();

        output.WriteLine();
        output.WriteLine($"Imported {file} as '{sender}' in {clock.Elapsed.TotalSeconds:0.0} s: {accepted:N0} accepted, {duplicates:N0} duplicates, {rejected.Count:N0} rejected.");
        foreach (var r in rejected.OrderBy(r => r.Index).Take(20)) output.WriteLine($"  line {r.Index}: {r.Title}: {r.Detail}");
        if (rejected.Count > 20) output.WriteLine($"  … and {rejected.Count - 20:N0} more.");
        if (pending.Count > 0)
            output.WriteLine($"{pending.Count:N0} links wait for a manager's approval on /members/merges (lines {string.Join(", ", pending.Select(p => p.Index).Take(20))}).");
        return rejected.Count == 0 ? 0 : 1;
    }

    private static void Progress(TextWriter output, long done, long total, int lines)
    {
        const int width = 30;
        var share = total == 0 ? 1 : (double)done / total;
        var filled = (int)Math.Round(share * width);
        output.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {share:P0} {lines:N0} lines");
    }
}
