namespace HitlFunctions.Monitors;

/// <summary>
/// The monitor's state, carried from one generation to the next through ContinueAsNew: it is the orchestration's
/// input, so it stays small (the last few incidents and checks only).
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
    int Generation,
    IReadOnlyList<CheckResult>? RecentChecks = null);
