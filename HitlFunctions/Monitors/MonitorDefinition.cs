using HitlFunctions.Approvals;

namespace HitlFunctions.Monitors;

/// <summary>
/// A monitor: an eternal orchestration that checks a target, and on an incident asks the on-call chain before it
/// remediates. Given when the monitor is started; persisted in the orchestration's input.
/// </summary>
/// <param name="Name">What it watches, in words.</param>
/// <param name="Target">The endpoint and how to judge it.</param>
/// <param name="CheckInterval">Time between checks.</param>
/// <param name="FailuresToIncident">Consecutive failed (or breached) checks that make an incident.</param>
/// <param name="RemediationUrl">The webhook that remediates, called with the incident once approved.</param>
/// <param name="OnCall">The on-call escalation chain: primary, secondary, manager…, each with a timeout.</param>
/// <param name="QuietPeriod">After a rejected or timed-out incident, no new approval is asked until the target clears or this passes.</param>
/// <param name="Reminders">Reminders per on-call level.</param>
/// <param name="ChecksPerGeneration">Checks before the orchestration continues as new, bounding its history (default 20).</param>
public sealed record MonitorDefinition(
    string Name,
    MonitorTarget Target,
    TimeSpan CheckInterval,
    int FailuresToIncident,
    string RemediationUrl,
    IReadOnlyList<EscalationLevel> OnCall,
    TimeSpan QuietPeriod,
    ReminderPolicy? Reminders = null,
    int ChecksPerGeneration = 20);
