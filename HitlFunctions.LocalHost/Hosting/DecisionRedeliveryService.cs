using HitlFunctions.Approvals;
using HitlFunctions.Common;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Raises recorded but undelivered decisions again: at start (recovery after a crash between recording and raising)
/// and then every <see cref="LocalHostOptions.RedeliveryInterval"/>. A storage outage only postpones a round.
/// </summary>
public sealed partial class DecisionRedeliveryService(DecisionDelivery delivery, DurableTaskClient client, IOptions<LocalHostOptions> options, ILogger<DecisionRedeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using PeriodicTimer timer = new(options.Value.RedeliveryInterval);
        do
        {
            try
            {
                await delivery.RedeliverAsync(client, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && (ExceptionProblems.IsStorageOutage(exception) || exception is Grpc.Core.RpcException))
            {
                LogRoundFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redelivering decisions failed; trying again next round")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
