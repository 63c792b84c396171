using HitlFunctions.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Approvals;

/// <summary>
/// Raises recorded but undelivered decisions again, on the schedule in <c>Approvals:RedeliverySchedule</c> (NCRONTAB
/// with seconds; every 30 seconds in the shipped settings). It also runs when the host starts, which is when a crash
/// between recording and raising is recovered; a round is one query of the ledger's undelivered markers, so cheap.
/// </summary>
public sealed partial class DecisionRedeliveryFunction(DecisionDelivery delivery, ILogger<DecisionRedeliveryFunction> logger)
{
    /// <summary>The setting that holds the schedule.</summary>
    public const string ScheduleSetting = "Approvals:RedeliverySchedule";

    /// <summary>The schedule the shipped settings use (local.settings.sample.json, the template, the local host's default).</summary>
    public const string DefaultSchedule = "*/30 * * * * *";

    [Function(nameof(RedeliverUndeliveredDecisions))]
    public async Task RedeliverUndeliveredDecisions(
        [TimerTrigger("%" + ScheduleSetting + "%", RunOnStartup = true)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        try
        {
            int delivered = await delivery.RedeliverAsync(client, cancellationToken);
            if (delivered > 0)
            {
                LogRedelivered(logger, delivered);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && (ExceptionProblems.IsStorageOutage(exception) || exception is Grpc.Core.RpcException))
        {
            // Storage or the backend is away: the markers stay, and the next round tries again.
            LogRoundFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Raised {Count} undelivered decision(s) again")]
    private static partial void LogRedelivered(ILogger logger, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Redelivering decisions failed; trying again next round")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
