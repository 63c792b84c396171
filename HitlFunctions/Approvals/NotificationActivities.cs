using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Approvals;

/// <summary>
/// Sends the checkpoint's notifications (requests, reminders, escalations, decision notices) by handing them to
/// <see cref="INotificationSender"/>: in the product, the outbox queue. No link token is made here: its input and
/// output are durable history, stored in clear, so the outbox consumer issues each approver's token when it renders.
/// </summary>
public sealed class NotificationActivities(INotificationSender sender, IApprovalLedger ledger, TimeProvider timeProvider)
{
    [Function(nameof(SendNotification))]
    public async Task SendNotification([ActivityTrigger] NotificationMessage message)
    {
        await sender.SendAsync(message);
        await ledger.AppendAuditAsync(message.ApprovalId, AuditEntries.Notified(message, timeProvider.GetUtcNow()));
    }
}
