using HitlFunctions.Services;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Raises recorded but undelivered decisions again: at start (recovery after a crash between recording and raising)
/// and then every <see cref="LocalHostOptions.RedeliveryInterval"/>.
/// </summary>
public sealed class DecisionRedeliveryService(DecisionDelivery delivery, DurableTaskClient client, IOptions<LocalHostOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using PeriodicTimer timer = new(options.Value.RedeliveryInterval);
        do
        {
            await delivery.RedeliverAsync(client, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
