namespace HitlFunctions.Approvals;

/// <summary>Input of <see cref="LedgerActivities.OpenApproval"/>: the level to open and the notification that asks it.</summary>
public sealed record OpenApprovalRequest(ApprovalTicket Ticket, NotificationMessage Notification);
