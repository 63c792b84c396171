namespace HitlFunctions.Inbox;

/// <summary>A reassignment as recorded: <paramref name="To"/> answers on behalf of <paramref name="OnBehalfOf"/> now, and was emailed their own link.</summary>
public sealed record ReassignedView(string ApprovalId, string To, string OnBehalfOf, string By, string? Comment, DateTimeOffset At, string Message);
