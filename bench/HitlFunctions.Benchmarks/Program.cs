using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using HitlFunctions.Benchmarks;

// Usage: dotnet run -c Release --project bench/HitlFunctions.Benchmarks -- [--backends inmemory,azurestorage] [--quick] [--only M6] [--out bench-results.json]
string[] backends = Arg("--backends")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? ["inmemory", "azurestorage"];
bool quick = args.Contains("--quick");
string[]? only = Arg("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
string root = RepositoryRoot();

// `dotnet run --project` runs in the project's folder, so a relative --out is taken from the repository root.
string output = Path.GetFullPath(Arg("--out") ?? Path.Combine("bench", "HitlFunctions.Benchmarks", "bench-results.json"), root);

BenchSettings full = new(200, [(0, 3), (5, 2), (20, 1), (60, 1)], 10, [1_000, 5_000, 10_000], TimeSpan.FromSeconds(75), 20, 200, 10, 20);
BenchSettings small = new(40, [(0, 3), (5, 1)], 4, [200, 500], TimeSpan.FromSeconds(40), 5, 50, 4, 5);
List<MetricResult> results = [];
Stopwatch total = Stopwatch.StartNew();
foreach (string backend in backends)
{
    BenchSettings settings = quick ? small : full;
    if (backend == "azurestorage" && !quick)
    {
        // Azurite (one Node.js process) serves a few hundred requests per second on 2 cores, and slows as invisible
        // timer messages pile up (field notes: 22 ms per empty receive at 5k, 87 ms at 10k): the load and parked
        // sizes are smaller so the whole run stays within ten minutes.
        settings = settings with { ParkLevels = [400], ParkBudget = TimeSpan.FromSeconds(70), ThroughputBatch = 40, CpuSeconds = 6 };
    }

    Log($"== {backend}");

    // Each phase gets a fresh host (and a fresh Azurite): what one phase leaves behind (thousands of parked instances
    // and their timers, or a load's backlog) would otherwise slow the next one down.
    await PhaseAsync("M1", async (metrics, host, azurite) =>
    {
        Log("M1");
        results.Add(await metrics.DecisionToResumeAsync(settings.M1Samples));
        Log("M2");
        foreach ((double seconds, int samples) in settings.Idle)
        {
            results.Add(await metrics.IdleWakeUpAsync(TimeSpan.FromSeconds(seconds), samples));
        }

        results.Add(await metrics.TimerLatenessAsync(settings.TimerSamples));
        if (azurite is not null)
        {
            Log("M5");
            using StorageRequestCounter counter = new(azurite.Ports.Blob, azurite.Ports.Queue, azurite.Ports.Table);
            results.AddRange(await StorageRequestsAsync(host, counter, settings.StorageLifecycles));
        }
    });
    await PhaseAsync("M4", async (metrics, _, _) =>
    {
        Log("M4");
        results.AddRange(await metrics.ThroughputAsync(settings.ThroughputBatch));
    });
    await PhaseAsync("M6", async (_, host, _) =>
    {
        Log("M6");
        results.AddRange(await DashboardMetrics.BlockingAsync(host, backend, 10_000, quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(90), quick ? 5 : 20));
    });
    await PhaseAsync("M3", async (metrics, _, _) =>
    {
        Log("M3");
        results.AddRange(await metrics.ParkedAsync(settings.ParkLevels, settings.ParkBudget));
    });
    if (backend == "inmemory")
    {
        await PhaseAsync("M7", async (metrics, _, _) =>
        {
            Log("M7");
            results.Add(await metrics.InboxAsync(quick ? 200 : 1_000, settings.QuerySamples, settings.ParkBudget));
        });
    }

    // --only M6 (or M1, M4, M3: a phase by its first metric) runs just those phases.
    async Task PhaseAsync(string phase, Func<Metrics, BenchHost, AzuriteProcess?, Task> run)
    {
        if (only is not null && !only.Contains(phase))
        {
            return;
        }

        await using AzuriteProcess? azurite = backend == "azurestorage" ? await AzuriteProcess.StartAsync(root) : null;
        List<string> backendArgs = [];
        if (azurite is not null)
        {
            string connection = AzuriteProcess.ConnectionString(azurite.Ports.Blob, azurite.Ports.Queue, azurite.Ports.Table);
            backendArgs.AddRange(["--backend", "azurestorage", $"--ConnectionStrings:Storage={connection}", "--task-hub", "BenchHub"]);
        }

        await using BenchHost host = await BenchHost.StartAsync(backendArgs);
        await run(new Metrics(host, backend, settings, Log, azurite), host, azurite);
    }
}

string machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):0.#} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
string table = Markdown(results, machine, total.Elapsed);
Console.WriteLine();
Console.WriteLine(table);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
{
    machine,
    ranAt = DateTimeOffset.UtcNow,
    elapsedSeconds = Math.Round(total.Elapsed.TotalSeconds),
    quick,
    metrics = results.Select(r => new { r.Backend, r.Metric, r.Unit, ours = r.Ours, baseline = r.Baseline, ratio = double.IsNaN(r.Ratio) ? (double?)null : Math.Round(r.Ratio, 3), r.Note }),
}, Clock.Json));
Log($"wrote {output} in {total.Elapsed.TotalSeconds:0} s");
return;

// M5: storage requests per approval lifecycle, by kind: sequential lifecycles, counted from the Azure SDK's events.
static async Task<List<MetricResult>> StorageRequestsAsync(BenchHost host, StorageRequestCounter counter, int lifecycles)
{
    await Task.Delay(TimeSpan.FromSeconds(2));
    Dictionary<string, long> Take() => counter.Snapshot(reset: true);
    Take();
    Stopwatch watch = Stopwatch.StartNew();
    for (int i = 0; i < lifecycles; i++)
    {
        string id = $"m5-ours-{i}-{Guid.NewGuid():N}"[..40];
        await host.StartOursAsync(id);
        await host.Signals.WhenReady(id);
        await host.DecideOursAsync(host.Signals.ApprovalIdOf(id));
        await host.Signals.WhenNextStep(id);
    }

    TimeSpan oursTime = watch.Elapsed;
    Dictionary<string, long> ours = Take();
    watch.Restart();
    for (int i = 0; i < lifecycles; i++)
    {
        string id = $"m5-bare-{i}-{Guid.NewGuid():N}"[..40];
        await host.StartBareAsync(id);
        await host.Signals.WhenReady(id);
        await host.DecideBareAsync(id);
        await host.Signals.WhenNextStep(id);
    }

    TimeSpan bareTime = watch.Elapsed;
    Dictionary<string, long> bare = Take();
    List<MetricResult> rows =
    [
        new("azurestorage", "M5 storage requests per approval lifecycle (all)", "requests", Stats.Of([ours.Values.Sum() / (double)lifecycles]), Stats.Of([bare.Values.Sum() / (double)lifecycles]),
            $"{lifecycles} sequential lifecycles each; idle polling during the phase included (ours {oursTime.TotalSeconds:0.0} s, bare {bareTime.TotalSeconds:0.0} s)"),
    ];
    foreach (string kind in ours.Keys.Union(bare.Keys).Order(StringComparer.Ordinal))
    {
        rows.Add(new("azurestorage", $"M5 requests: {kind}", "requests", Stats.Of([ours.GetValueOrDefault(kind) / (double)lifecycles]), Stats.Of([bare.GetValueOrDefault(kind) / (double)lifecycles])));
    }

    return rows;
}

static string Markdown(List<MetricResult> results, string machine, TimeSpan elapsed)
{
    StringBuilder text = new();
    text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}. Run took {elapsed.TotalSeconds:0} s.");
    text.AppendLine();
    text.AppendLine("| backend | metric | unit | ours p50 | ours p95 | ours p99 | n | baseline p50 | baseline p95 | baseline p99 | n | ratio p50 | note |");
    text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    foreach (MetricResult r in results)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {r.Backend} | {r.Metric} | {r.Unit} | {F(r.Ours.P50)} | {F(r.Ours.P95)} | {F(r.Ours.P99)} | {r.Ours.N} | {F(r.Baseline.P50)} | {F(r.Baseline.P95)} | {F(r.Baseline.P99)} | {r.Baseline.N} | {F(r.Ratio)} | {r.Note} |");
    }

    return text.ToString();
}

static string F(double value) => double.IsNaN(value) ? "–" : Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

static string RepositoryRoot()
{
    for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "HitlFunctions.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
