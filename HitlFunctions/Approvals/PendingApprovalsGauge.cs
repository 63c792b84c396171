using System.Diagnostics.Metrics;
using HitlFunctions.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Approvals;

/// <summary>
/// Feeds the <c>hitl.approvals.pending</c> gauge: recounts the ledger's pending index every
/// <see cref="TelemetryOptions.PendingRefreshInterval"/>, so a metrics export never waits for storage.
/// </summary>
public sealed partial class PendingApprovalsGauge(IApprovalLedger ledger, IOptions<TelemetryOptions> options, TimeProvider timeProvider, ILogger<PendingApprovalsGauge> logger)
    : BackgroundService
{
    private volatile IReadOnlyDictionary<string, int> counts = new Dictionary<string, int>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using IDisposable observation = HitlTelemetry.ObservePendingApprovals(this.Observe);
        using PeriodicTimer timer = new(options.Value.PendingRefreshInterval, timeProvider);
        do
        {
            try
            {
                // A definition with nothing pending any more reports 0 rather than vanishing with its last value.
                IReadOnlyDictionary<string, int> counted = await ledger.CountPendingAsync(stoppingToken);
                this.counts = this.counts.Keys.Except(counted.Keys).Select(definition => KeyValuePair.Create(definition, 0))
                    .Concat(counted)
                    .ToDictionary(StringComparer.Ordinal);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCountFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> Observe() =>
        this.counts.Select(count => new Measurement<long>(count.Value, new KeyValuePair<string, object?>(HitlTelemetry.DefinitionTag, count.Key)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending approvals could not be counted; the gauge keeps its last values")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
