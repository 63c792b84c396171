namespace HitlFunctions.Approvals;

/// <summary>Audit lines that the checkpoint and the ledger both write, worded once.</summary>
public static class AuditEntries
{
    public static AuditEntry Requested(ApprovalTicket ticket) =>
        new(ticket.AskedAt, AuditKinds.Requested, null, $"Asked {string.Join(", ", ticket.Approvers)}", ticket.Level);

    public static AuditEntry Notified(NotificationMessage message, DateTimeOffset at) =>
        new(at, message.Kind == NotificationKind.Reminder ? AuditKinds.Reminded : AuditKinds.Notified, null, $"{message.Kind} to {string.Join(", ", message.To)}", message.Level);
}
