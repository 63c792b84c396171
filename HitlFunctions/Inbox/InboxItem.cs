using System.Globalization;
using HitlFunctions.Approvals;

namespace HitlFunctions.Inbox;

/// <summary>One pending approval as the inbox lists it.</summary>
/// <param name="Record">The approval, read in full (who answered, the policy, the proposal).</param>
/// <param name="EscalatedFrom">For a level after the first: who was asked before and did not answer in time.</param>
/// <param name="BulkBlocker">Why it cannot be approved together with others, or null when it can.</param>
public sealed record InboxItem(ApprovalRecord Record, bool Overdue, bool DueSoon, IReadOnlyList<string>? EscalatedFrom, string? BulkBlocker)
{
    /// <summary>Where the next page starts: after this item's deadline and id (the list's order).</summary>
    public string Cursor => CursorOf(this.Record.Ticket.DueAt, this.Record.ApprovalId);

    public static string CursorOf(DateTimeOffset dueAt, string approvalId) =>
        $"{dueAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}-{approvalId}";
}
