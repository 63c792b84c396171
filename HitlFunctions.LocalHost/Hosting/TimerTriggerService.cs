using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Runs the Functions app's timer-triggered functions as the Functions host does: on their NCRONTAB schedule (six
/// fields, seconds first), once at start when the trigger says <c>RunOnStartup</c>, never two runs of one function at once.
/// A failed run is logged and the schedule goes on.
/// </summary>
public sealed partial class TimerTriggerService(IServiceProvider services, IConfiguration configuration, TimeProvider timeProvider, ILogger<TimerTriggerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FunctionCatalog.TimerFunctions.Select(function => this.RunScheduleAsync(function, stoppingToken)));

    private async Task RunScheduleAsync(TriggeredFunction function, CancellationToken stoppingToken)
    {
        string expression = FunctionCatalog.Resolve(function.Expression, configuration);
        CrontabSchedule schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new InvalidOperationException($"Function {function.Name} has the schedule '{expression}', which is not an NCRONTAB expression with seconds ('*/30 * * * * *').");
        LogScheduled(logger, function.Name, expression);
        DateTime last = timeProvider.GetUtcNow().UtcDateTime;
        if (function.Trigger.GetCustomAttributes(typeof(TimerTriggerAttribute), false) is [TimerTriggerAttribute { RunOnStartup: true }])
        {
            await this.RunAsync(function, schedule, last, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            DateTime next = schedule.GetNextOccurrence(last);
            TimeSpan wait = next - timeProvider.GetUtcNow().UtcDateTime;
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            last = next;
            await this.RunAsync(function, schedule, next, stoppingToken);
        }
    }

    private async Task RunAsync(TriggeredFunction function, CrontabSchedule schedule, DateTime due, CancellationToken stoppingToken)
    {
        DateTime now = timeProvider.GetUtcNow().UtcDateTime;
        TimerInfo timer = new()
        {
            IsPastDue = now - due > TimeSpan.FromSeconds(1),
            ScheduleStatus = new ScheduleStatus { Last = due, Next = schedule.GetNextOccurrence(due), LastUpdated = now },
        };
        try
        {
            await FunctionInvoker.InvokeTriggeredAsync(function, services, timer, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogRunFailed(logger, exception, function.Name);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the run was cancelled with the host.
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Timer trigger {Function} runs on '{Schedule}'")]
    private static partial void LogScheduled(ILogger logger, string function, string schedule);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Timer function {Function} failed; it runs again on schedule")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string function);
}
