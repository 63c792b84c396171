namespace HitlFunctions.Monitors;

/// <summary>Body of <c>POST /api/monitors</c>.</summary>
public sealed record StartMonitorRequest(string? Id, MonitorDefinition? Definition);
