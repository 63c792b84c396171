namespace HitlFunctions.Approvals;

/// <summary>The kinds of audit entries.</summary>
public static class AuditKinds
{
    public const string Requested = "requested";
    public const string Notified = "notified";
    public const string Reminded = "reminded";
    public const string Escalated = "escalated";
    public const string Decided = "decided";
    public const string AutoApproved = "auto-approved";
    public const string TimedOut = "timed-out";
    public const string Cancelled = "cancelled";
    public const string Delegated = "delegated";
    public const string Reassigned = "reassigned";
}
