using HitlFunctions.Approvals;

namespace HitlFunctions.Monitors;

/// <summary>A monitor as <c>GET /api/monitors/{id}</c> shows it.</summary>
public sealed record MonitorView(
    string Id,
    string Name,
    string RuntimeStatus,
    MonitorMode Mode,
    CheckResult? LastCheck,
    int ConsecutiveFailures,
    Incident? OpenIncident,
    IReadOnlyList<ApprovalSummary> PendingApprovals,
    IReadOnlyList<Incident> RecentIncidents,
    DateTimeOffset? QuietUntil,
    int Generation);
