using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Approvals;

/// <summary>The checkpoint's writes to the approval ledger. Each is idempotent, since activities run at least once.</summary>
public sealed class LedgerActivities(IApprovalLedger ledger, INotificationSender sender, DelegationResolver delegations, TimeProvider timeProvider)
{
    /// <summary>
    /// Opens an approval and asks its approvers, and whoever their away rules ask on their behalf. The approval is
    /// written first, so the outbox consumer finds it when it issues the links; a repeated run opens nothing new, asks
    /// whom the first run recorded, and the sender sends each notification id once per recipient.
    /// </summary>
    [Function(nameof(OpenApproval))]
    public async Task OpenApproval([ActivityTrigger] OpenApprovalRequest request)
    {
        using Activity? span = ApprovalTelemetry.Start("approval.ask", request.Ticket);
        DateTimeOffset now = timeProvider.GetUtcNow();
        (ApprovalTicket ticket, IReadOnlyList<AuditEntry> notApplied) = await delegations.ResolveAsync(request.Ticket, now);
        ApprovalRecord opened = await ledger.OpenAsync(ticket, AuditEntries.Notified(request.Notification with { To = Asking.AskedNow(ticket) }, now));
        foreach (AuditEntry entry in notApplied)
        {
            await ledger.AppendAuditAsync(opened.ApprovalId, entry);
        }

        await sender.SendAsync(request.Notification with { To = Asking.AskedNow(opened.Ticket) });
    }

    /// <summary>Closes a level as escalated, timed out or cancelled, unless a decision was recorded first.</summary>
    [Function(nameof(CloseApproval))]
    public async Task<ApprovalRecord> CloseApproval([ActivityTrigger] CloseApprovalRequest request)
    {
        // Counted only by the call that closed it: a retried activity finds the approval closed already.
        ApprovalClose close = await ledger.CloseAsync(request.ApprovalId, request.State, request.Entry);
        if (close.Changed)
        {
            ApprovalTelemetry.Closed(close.Record);
        }

        return close.Record;
    }
}
