using HitlFunctions.Approvals;
using HitlFunctions.Monitors;
using HitlFunctions.Workflows;

namespace HitlFunctions.Operations;

/// <summary>Everything asked, answered and done in one instance.</summary>
public sealed record AuditView(string Id, string Kind, string RuntimeStatus, IReadOnlyList<StepSummary> Steps, IReadOnlyList<ApprovalView> Approvals, IReadOnlyList<Incident> Incidents);
