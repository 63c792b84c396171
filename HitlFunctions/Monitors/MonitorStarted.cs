namespace HitlFunctions.Monitors;

/// <summary>A started monitor.</summary>
/// <param name="StatusUrl">Where its status is read.</param>
public sealed record MonitorStarted(string Id, string StatusUrl);
