using HitlFunctions.Monitors;

namespace HitlFunctions.Operations;

/// <summary>A monitor's incident that is still open.</summary>
public sealed record OpenIncident(string MonitorId, string MonitorName, Incident Incident);
