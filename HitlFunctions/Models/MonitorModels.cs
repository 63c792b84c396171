using System.Text.Json.Serialization;

namespace HitlFunctions.Models;

/// <summary>What a monitor checks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TargetKind>))]
public enum TargetKind
{
    /// <summary>An HTTP endpoint that is healthy when it answers 2xx.</summary>
    [JsonStringEnumMemberName("health")]
    Health,

    /// <summary>An HTTP endpoint returning JSON; a number read at <see cref="MonitorTarget.JsonPath"/> is compared with a threshold.</summary>
    [JsonStringEnumMemberName("metric")]
    Metric,
}

/// <summary>The endpoint a monitor watches.</summary>
/// <param name="Url">The endpoint (http or https).</param>
/// <param name="Kind">health or metric.</param>
/// <param name="JsonPath">metric: dot-separated path to the number, e.g. <c>queue.depth</c>.</param>
/// <param name="Above">metric: breached when the value is above this.</param>
/// <param name="Below">metric: breached when the value is below this.</param>
public sealed record MonitorTarget(string Url, TargetKind Kind = TargetKind.Health, string? JsonPath = null, double? Above = null, double? Below = null);

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

/// <summary>One check of a monitor's target.</summary>
/// <param name="Healthy">Whether the check passed.</param>
/// <param name="Value">The metric's value, for metric targets.</param>
/// <param name="Detail">What was seen: status code, value, error.</param>
public sealed record CheckResult(DateTimeOffset At, bool Healthy, double? Value, string Detail);

/// <summary>Where an incident stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentStatus>))]
public enum IncidentStatus
{
    AwaitingApproval,
    Remediated,
    RemediationFailed,
    Rejected,
    TimedOut,
    Cancelled,
}

/// <summary>An incident of a monitor and what was decided about it.</summary>
public sealed record Incident(
    string Id,
    DateTimeOffset OpenedAt,
    string Evidence,
    string Proposal,
    string CheckpointInstanceId,
    IncidentStatus Status,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Comment = null,
    CheckResult? AfterRemediation = null);

/// <summary>Whether a monitor checks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MonitorMode>))]
public enum MonitorMode
{
    Active,
    Paused,
    Stopped,
}

/// <summary>
/// The monitor's state, carried from one generation to the next through ContinueAsNew: it is the orchestration's
/// input, so it stays small (the last few incidents only).
/// </summary>
public sealed record MonitorState(
    string MonitorId,
    MonitorDefinition Definition,
    MonitorMode Mode,
    int ConsecutiveFailures,
    CheckResult? LastCheck,
    Incident? OpenIncident,
    IReadOnlyList<Incident> RecentIncidents,
    DateTimeOffset? QuietUntil,
    bool SuppressedUntilClear,
    int IncidentCount,
    int Generation);

/// <summary>Control events a monitor obeys.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MonitorCommand>))]
public enum MonitorCommand
{
    Pause,
    Resume,
    Stop,
}
