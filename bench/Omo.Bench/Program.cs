using Omo.Clienteling.Bench;

// dotnet run -c Release --project bench/Omo.Bench -- [--members 1000000] [--provider sqlite,postgres] [--fresh] [--only dataset,reads,...]
var options = BenchOptions.Parse(args);
var report = new Report(options.Providers);
foreach (var provider in options.Providers)
{
    report.Provider = provider;
    await using var dataset = await DatasetBench.OpenAsync(options, provider, report);
    foreach (var section in BenchSections.All)
        if (options.Wants(section.Name)) await section.RunAsync(options, dataset, report);
}
report.Print();
