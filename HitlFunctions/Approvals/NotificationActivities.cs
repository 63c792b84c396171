using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Approvals;

/// <summary>
/// Sends the checkpoint's notifications (requests, reminders, escalations, decision notices) by handing them to
/// <see cref="INotificationSender"/>: in the product, the outbox queue. No link token is made here: its input and
/// output are durable history, stored in clear, so the outbox consumer issues each approver's token when it renders.
/// </summary>
public sealed class NotificationActivities(INotificationSender sender, IApprovalLedger ledger, TimeProvider timeProvider)
{
    /// <remarks>
    /// A reminder names the approvers still waited for; it goes to whoever answers for each of them now, which the
    /// ledger knows and the checkpoint does not (an approval reassigned after it opened).
    /// </remarks>
    [Function(nameof(SendNotification))]
    public async Task SendNotification([ActivityTrigger] NotificationMessage message)
    {
        if (message.Kind == NotificationKind.Reminder && await ledger.GetAsync(message.ApprovalId) is { Ticket.StandIns: { Count: > 0 } standIns })
        {
            message = message with { To = [.. message.To.SelectMany(a => Asking.HoldersOf(a, standIns)).Distinct(StringComparer.OrdinalIgnoreCase)] };
        }

        await sender.SendAsync(message);
        await ledger.AppendAuditAsync(message.ApprovalId, AuditEntries.Notified(message, timeProvider.GetUtcNow()));
    }
}
