namespace HitlFunctions.Monitors;

/// <summary>An accepted monitor command.</summary>
/// <param name="Command">pause, resume or stop.</param>
public sealed record MonitorCommandAccepted(string Id, string Command, string StatusUrl);
