using System.Diagnostics;
using System.Text.Json;
using HitlFunctions.Approvals;

namespace HitlFunctions.Benchmarks;

/// <summary>
/// M6: the dashboard's "who is blocking what" page with many pending approvals: the time to its first page (the whole
/// HTTP GET, rendered), against the operations API's JSON list of the same approvals. The approvals are opened in the
/// ledger directly (500 approvers, 10 definitions, asked over the last 3 days): the page reads the ledger's index only,
/// so no orchestration is needed behind them.
/// </summary>
public static class DashboardMetrics
{
    public static async Task<List<MetricResult>> BlockingAsync(BenchHost host, string backend, int wanted, TimeSpan seedBudget, int samples)
    {
        IApprovalLedger ledger = host.Services.GetRequiredService<IApprovalLedger>();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        JsonElement proposal = JsonSerializer.SerializeToElement("A proposal to approve.");
        Stopwatch seeding = Stopwatch.StartNew();
        int opened = 0;
        await Parallel.ForAsync(0, wanted, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            if (seeding.Elapsed > seedBudget)
            {
                return;
            }

            DateTimeOffset asked = now - TimeSpan.FromMinutes(i % (3 * 24 * 60));
            ApprovalTicket ticket = new(
                $"bench-{i:D6}", $"checkpoint-{i:D6}", $"wf-{i:D6}", $"wf-{i:D6}", "review", $"Bench approval {i}", proposal, null, 1 + (i % 2),
                [$"approver-{i % 500:D3}@bench.io"], new ApprovalPolicy(), false, asked, asked.AddHours(4), Definition: $"definition-{i % 10}");
            await ledger.OpenAsync(ticket, new AuditEntry(asked, AuditKinds.Notified, null, "Request", ticket.Level), token);
            Interlocked.Increment(ref opened);
        });
        string note = $"{opened} pending approvals (of {wanted} wanted) opened in {seeding.Elapsed.TotalSeconds:0} s; baseline: GET /api/ops/approvals, all of them as JSON";

        List<double> page = [], json = [];
        for (int i = 0; i < samples + 3; i++)
        {
            double pageMs = await TimeAsync(host, "/api/dashboard/blocking");
            double jsonMs = await TimeAsync(host, "/api/ops/approvals");
            if (i >= 3)
            {
                page.Add(pageMs);
                json.Add(jsonMs);
            }
        }

        return [new MetricResult(backend, $"M6 who is blocking what, first page @{opened} pending", "ms", Stats.Of(page), Stats.Of(json), note)];
    }

    private static async Task<double> TimeAsync(BenchHost host, string path)
    {
        long start = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await host.Http.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        double ms = Clock.Ms(start, Stopwatch.GetTimestamp());
        return response.IsSuccessStatusCode ? ms : throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
    }
}
