namespace HitlFunctions.Inbox;

/// <summary>What the inbox shows: one workflow definition or all, overdue only or all, and the page after a cursor.</summary>
/// <param name="Definition">Only approvals asked by this workflow definition.</param>
/// <param name="Overdue">Only approvals past their deadline.</param>
/// <param name="After">The cursor of the last item of the previous page (<see cref="InboxItem.Cursor"/>).</param>
public sealed record InboxFilter(string? Definition = null, bool Overdue = false, string? After = null);
