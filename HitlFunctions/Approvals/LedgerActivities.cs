using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Approvals;

/// <summary>The checkpoint's writes to the approval ledger. Each is idempotent, since activities run at least once.</summary>
public sealed class LedgerActivities(IApprovalLedger ledger, INotificationSender sender, TimeProvider timeProvider)
{
    /// <summary>
    /// Opens an approval and asks its approvers. The approval is written first, so the outbox consumer finds it when it
    /// issues the approvers' links; a repeated run opens nothing new and the sender sends each notification id once.
    /// </summary>
    [Function(nameof(OpenApproval))]
    public async Task OpenApproval([ActivityTrigger] OpenApprovalRequest request)
    {
        using Activity? span = ApprovalTelemetry.Start("approval.ask", request.Ticket);
        await ledger.OpenAsync(request.Ticket, AuditEntries.Notified(request.Notification, timeProvider.GetUtcNow()));
        await sender.SendAsync(request.Notification);
    }

    /// <summary>Closes a level as escalated, timed out or cancelled, unless a decision was recorded first.</summary>
    [Function(nameof(CloseApproval))]
    public async Task<ApprovalRecord> CloseApproval([ActivityTrigger] CloseApprovalRequest request)
    {
        ApprovalRecord closed = await ledger.CloseAsync(request.ApprovalId, request.State, request.Entry);
        if (closed.State == request.State)
        {
            ApprovalTelemetry.Closed(closed);
        }

        return closed;
    }
}
