using System.Diagnostics;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Benchmarks;

/// <summary>The measurements. Ours and the baseline alternate (A, B, A, B …) so that drift of the machine cancels out.</summary>
public sealed class Metrics(BenchHost host, string backend, BenchSettings settings, Action<string> log, AzuriteProcess? azurite)
{
    private int sequence;

    private string NextId(string kind)
    {
        string id = $"{kind}-{backend}-{Interlocked.Increment(ref this.sequence)}-{Guid.NewGuid():N}";
        return id[..Math.Min(48, id.Length)];
    }

    /// <summary>Starts one of ours and one bare workflow and waits until both wait for their decision.</summary>
    private async Task<(string Ours, string ApprovalId, string Bare)> PreparePairAsync()
    {
        string ours = this.NextId("ours");
        string bare = this.NextId("bare");
        await Task.WhenAll(host.StartOursAsync(ours), host.StartBareAsync(bare));
        await Task.WhenAll(host.Signals.WhenReady(ours), host.Signals.WhenReady(bare));
        return (ours, host.Signals.ApprovalIdOf(ours), bare);
    }

    private async Task<double> OursDecisionToResumeAsync(string workflowId, string approvalId)
    {
        long sent = await host.DecideOursAsync(approvalId);
        return Clock.Ms(sent, await host.Signals.WhenNextStep(workflowId));
    }

    private async Task<double> BareDecisionToResumeAsync(string marker)
    {
        long sent = await host.DecideBareAsync(marker);
        return Clock.Ms(sent, await host.Signals.WhenNextStep(marker));
    }

    /// <summary>M1: decision POST → next step observed, sequentially, interleaved.</summary>
    public async Task<MetricResult> DecisionToResumeAsync(int samples, string metric = "M1 decision → resume", int warmup = 10)
    {
        List<(string, string, string)> pairs = [];
        for (int i = 0; i < samples + warmup; i += 25)
        {
            pairs.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(25, samples + warmup - i)).Select(_ => this.PreparePairAsync())));
        }

        // Let the starts' work drain so the measured decisions run on a quiet host.
        await Task.Delay(TimeSpan.FromSeconds(1));
        List<double> ours = [], bare = [];
        for (int i = 0; i < pairs.Count; i++)
        {
            (string workflowId, string approvalId, string bareId) = pairs[i];
            double a = await this.OursDecisionToResumeAsync(workflowId, approvalId);
            double b = await this.BareDecisionToResumeAsync(bareId);
            if (i >= warmup)
            {
                ours.Add(a);
                bare.Add(b);
            }
        }

        return new MetricResult(backend, metric, "ms", Stats.Of(ours), Stats.Of(bare));
    }

    /// <summary>M2: decision → resume after a period with no activity at all.</summary>
    public async Task<MetricResult> IdleWakeUpAsync(TimeSpan idle, int samples)
    {
        List<double> ours = [], bare = [];
        for (int i = 0; i < samples; i++)
        {
            (string workflowId, string approvalId, string bareId) = await this.PreparePairAsync();
            await Task.Delay(idle);

            // Alternate which goes first, so neither always profits from the other having woken the host.
            Task<double> a, b;
            if (i % 2 == 0)
            {
                a = this.OursDecisionToResumeAsync(workflowId, approvalId);
                b = this.BareDecisionToResumeAsync(bareId);
            }
            else
            {
                b = this.BareDecisionToResumeAsync(bareId);
                a = this.OursDecisionToResumeAsync(workflowId, approvalId);
            }

            ours.Add(await a);
            bare.Add(await b);
        }

        return new MetricResult(backend, $"M2 resume after {idle.TotalSeconds:0} s idle", "ms", Stats.Of(ours), Stats.Of(bare));
    }

    /// <summary>M2: escalation-timer lateness: when the level-2 escalation is sent minus when level 1 was due; bare: timer → next step.</summary>
    public async Task<MetricResult> TimerLatenessAsync(int samples)
    {
        TimeSpan dueIn = TimeSpan.FromSeconds(4);
        List<Task<double>> ours = [], bare = [];
        for (int i = 0; i < samples; i++)
        {
            string oursId = this.NextId("esc");
            string bareId = this.NextId("tmr");
            await host.StartOursWithEscalationAsync(oursId, dueIn);
            await host.Signals.WhenReady(oursId);
            ours.Add(LatenessAsync(oursId, host.Signals.DueAtOf(oursId)));
            DateTime bareDue = DateTime.UtcNow + dueIn;
            await host.StartBareTimerAsync(bareId, bareDue);
            bare.Add(LatenessAsync(bareId, bareDue));
        }

        return new MetricResult(backend, "M2 escalation timer lateness", "ms", Stats.Of(await Task.WhenAll(ours)), Stats.Of(await Task.WhenAll(bare)), "ours: level-2 escalation sent − level-1 deadline; bare: timer → next activity");

        async Task<double> LatenessAsync(string marker, DateTimeOffset dueAt)
        {
            long fired = await host.Signals.WhenNextStep(marker);
            DateTimeOffset firedAt = DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(Clock.Ms(fired, Stopwatch.GetTimestamp()));
            return (firedAt - dueAt).TotalMilliseconds;
        }
    }

    /// <summary>M3: park workflows at a checkpoint; memory per parked approval and the pending query for one approver.</summary>
    public async Task<List<MetricResult>> ParkedAsync(int[] levels, TimeSpan budget)
    {
        List<MetricResult> results = [];
        int parkedOurs = 0, parkedBare = 0;

        // The budget is for parking only; the queries and M1 samples at each level come on top.
        Stopwatch parking = new();
        foreach (int level in levels)
        {
            (long heapBefore, long rssBefore) = Memory();

            // Each kind gets half of what is left of the budget, so the baseline is measured too.
            TimeSpan share = (budget - parking.Elapsed) / 2;
            parking.Start();
            int addedOurs = await this.ParkAsync(level - parkedOurs, ours: true, share);
            parking.Stop();
            parkedOurs += addedOurs;
            (long heapOurs, long rssOurs) = Memory();
            parking.Start();
            int addedBare = await this.ParkAsync(level - parkedBare, ours: false, share);
            parking.Stop();
            parkedBare += addedBare;
            (long heapBare, long rssBare) = Memory();
            string note = Math.Min(parkedOurs, parkedBare) < level
                ? $"reached {parkedOurs} ours / {parkedBare} bare of {level} within the time budget"
                : $"{level} parked of each";
            log($"  parked {parkedOurs} ours, {parkedBare} bare");
            results.Add(new MetricResult(backend, $"M3 managed heap per parked approval @{level}", "bytes", Single((heapOurs - heapBefore) / (double)Math.Max(1, addedOurs)), Single((heapBare - heapOurs) / (double)Math.Max(1, addedBare)), note));
            results.Add(new MetricResult(backend, $"M3 RSS per parked approval @{level}", "bytes", Single((rssOurs - rssBefore) / (double)Math.Max(1, addedOurs)), Single((rssBare - rssOurs) / (double)Math.Max(1, addedBare)), note));
            results.Add(await this.PendingQueryAsync(level, note));
            results.Add((await this.DecisionToResumeAsync(10, $"M1 decision → resume @{level} parked", warmup: 2)) with { Note = note });
            if (parking.Elapsed > budget)
            {
                break;
            }
        }

        return results;
    }

    private static Stats Single(double value) => Stats.Of([value]);

    private async Task<int> ParkAsync(int count, bool ours, TimeSpan budget, string? approver = null)
    {
        if (count <= 0 || budget <= TimeSpan.Zero)
        {
            return 0;
        }

        // Each worker starts one workflow and waits until it is parked before it starts the next, so the backend gets
        // no more than it absorbs and whatever starts within the budget is parked soon after (a grace of 15 seconds
        // for the last ones). Flooding it instead would only queue work that nobody waits for.
        using CancellationTokenSource stop = new(budget);
        using CancellationTokenSource grace = new(budget + TimeSpan.FromSeconds(15));
        int parked = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            string id = this.NextId(ours ? "park" : "bpark");
            if (ours)
            {
                await host.StartOursAsync(id, approver ?? $"p{i % 50}@bench.io");
            }
            else
            {
                await host.StartBareAsync(id);
            }

            try
            {
                await host.Signals.WhenReady(id).WaitAsync(grace.Token);
                Interlocked.Increment(ref parked);
            }
            catch (OperationCanceledException)
            {
                // Not parked within the budget and its grace: not counted.
            }
        });

        return parked;
    }

    /// <summary>
    /// M7: the inbox page (GET /api/inbox, rendered on the server) of one person for whom <paramref name="pending"/>
    /// approvals wait, against the API's JSON list of the same approvals (GET /api/approvals as that person).
    /// </summary>
    public async Task<MetricResult> InboxAsync(int pending, int samples, TimeSpan budget)
    {
        const string person = "inbox@bench.io";
        int parked = await this.ParkAsync(pending, ours: true, budget, person);
        log($"  parked {parked} for {person}");
        using HttpClient browser = host.PersonClient(person);
        List<double> page = [], api = [];
        for (int i = 0; i < samples + 3; i++)
        {
            long start = Stopwatch.GetTimestamp();
            string html = await browser.GetStringAsync("/api/inbox");
            double pageMs = Clock.Ms(start, Stopwatch.GetTimestamp());
            if (!html.Contains($"Inbox ({parked})", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The inbox page does not count {parked} approvals.");
            }

            start = Stopwatch.GetTimestamp();
            await browser.GetStringAsync("/api/approvals");
            double apiMs = Clock.Ms(start, Stopwatch.GetTimestamp());
            if (i >= 3)
            {
                page.Add(pageMs);
                api.Add(apiMs);
            }
        }

        return new MetricResult(backend, $"M7 inbox page for one person @{parked} pending", "ms", Stats.Of(page), Stats.Of(api), $"{parked} pending for one person; baseline: the API's JSON list of the same approvals; 3 warm-up pairs");
    }

    /// <summary>Ours: GET /api/approvals?approver= (a ledger query). Bare: a scan of running instances' inputs, what Durable alone offers.</summary>
    private async Task<MetricResult> PendingQueryAsync(int level, string note)
    {
        List<double> ours = [], bare = [];
        for (int i = 0; i < settings.QuerySamples; i++)
        {
            long start = Stopwatch.GetTimestamp();
            using (HttpResponseMessage response = await host.Http.GetAsync($"/api/approvals?approver=p{i % 50}@bench.io"))
            {
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsStringAsync();
            }

            ours.Add(Clock.Ms(start, Stopwatch.GetTimestamp()));
            start = Stopwatch.GetTimestamp();
            int matches = 0;
            await foreach (OrchestrationMetadata instance in host.Durable.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running], FetchInputsAndOutputs = true, PageSize = 1000 }))
            {
                if (instance.SerializedInput?.Contains($"p{i % 50}@", StringComparison.Ordinal) == true)
                {
                    matches++;
                }
            }

            bare.Add(Clock.Ms(start, Stopwatch.GetTimestamp()));
        }

        return new MetricResult(backend, $"M3 pending approvals for one approver @{level}", "ms", Stats.Of(ours), Stats.Of(bare), $"{note}; bare scans running instances");
    }

    private static (long Heap, long Rss) Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using Process self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }

    /// <summary>M4: end-to-end workflows per second at saturation (start over HTTP, approve over HTTP as soon as waiting).</summary>
    public async Task<List<MetricResult>> ThroughputAsync(int count)
    {
        List<double> oursRates = [], bareRates = [];
        for (int round = 0; round < 2; round++)
        {
            oursRates.Add(await this.RunBatchAsync(count, ours: true));
            bareRates.Add(await this.RunBatchAsync(count, ours: false));
        }

        double oursSaturation = oursRates.Average();
        MetricResult saturation = new(backend, "M4 end-to-end approvals/s at saturation", "per s", Stats.Of(oursRates), Stats.Of(bareRates), $"{count} per batch, 2 batches each");

        // CPU per approval at a fixed offered load below saturation: half of ours' rate, for both.
        double offered = Math.Max(1, Math.Min(oursSaturation, bareRates.Average()) / 2);
        (double oursCpu, double oursStorageCpu) = await this.CpuPerApprovalAsync(offered, ours: true);
        (double bareCpu, double bareStorageCpu) = await this.CpuPerApprovalAsync(offered, ours: false);
        string note = $"offered {offered:0.#}/s for {settings.CpuSeconds} s";
        MetricResult cpu = new(backend, "M4 host CPU per completed approval", "ms CPU", Single(oursCpu), Single(bareCpu), note);
        if (azurite is null)
        {
            return [saturation, cpu];
        }

        // Azurite is one Node.js process: its CPU per approval says how many approvals per second one core of it serves.
        MetricResult storage = new(backend, "M4 Azurite CPU per completed approval", "ms CPU", Single(oursStorageCpu), Single(bareStorageCpu), $"{note}; Azurite's own process, idle polling included");
        return [saturation, cpu, storage];
    }

    private async Task<double> RunBatchAsync(int count, bool ours)
    {
        Stopwatch watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, _) => await this.LifecycleAsync(ours));
        return count / watch.Elapsed.TotalSeconds;
    }

    private async Task LifecycleAsync(bool ours)
    {
        string id = this.NextId(ours ? "tp" : "btp");
        if (ours)
        {
            await host.StartOursAsync(id);
            await host.Signals.WhenReady(id);
            await host.DecideOursAsync(host.Signals.ApprovalIdOf(id));
        }
        else
        {
            await host.StartBareAsync(id);
            await host.Signals.WhenReady(id);
            await host.DecideBareAsync(id);
        }

        await host.Signals.WhenNextStep(id);
    }

    private async Task<(double Host, double Storage)> CpuPerApprovalAsync(double perSecond, bool ours)
    {
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        TimeSpan storageBefore = azurite?.Cpu ?? TimeSpan.Zero;
        List<Task> lifecycles = [];
        Stopwatch watch = Stopwatch.StartNew();
        int total = (int)(perSecond * settings.CpuSeconds);
        for (int i = 0; i < total; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(i / perSecond);
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed);
            }

            lifecycles.Add(this.LifecycleAsync(ours));
        }

        await Task.WhenAll(lifecycles);
        self.Refresh();
        return ((self.TotalProcessorTime - cpuBefore).TotalMilliseconds / Math.Max(1, total), ((azurite?.Cpu ?? TimeSpan.Zero) - storageBefore).TotalMilliseconds / Math.Max(1, total));
    }
}

/// <summary>Sizes of a run.</summary>
public sealed record BenchSettings(int M1Samples, (double Seconds, int Samples)[] Idle, int TimerSamples, int[] ParkLevels, TimeSpan ParkBudget, int QuerySamples, int ThroughputBatch, int CpuSeconds, int StorageLifecycles);
