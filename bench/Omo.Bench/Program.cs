using Omo.Clienteling.Bench;

// dotnet run -c Release --project bench/Omo.Bench -- [--members 1000000] [--db path] [--fresh] [--samples 2000] [--only dataset,reads,...]
var options = BenchOptions.Parse(args);
var report = new Report();
var dataset = new DatasetBench(options, report);
dataset.Run();
foreach (var section in BenchSections.All)
    if (options.Wants(section.Name)) section.Run(options, dataset, report);
report.Print();
