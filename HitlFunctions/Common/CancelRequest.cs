namespace HitlFunctions.Common;

/// <summary>The payload of a <see cref="DurableEvents.Cancel"/> event.</summary>
public sealed record CancelRequest(string? Reason, string? RequestedBy);
