namespace HitlFunctions.Monitors;

/// <summary>The endpoint a monitor watches.</summary>
/// <param name="Url">The endpoint (http or https).</param>
/// <param name="Kind">health or metric.</param>
/// <param name="JsonPath">metric: dot-separated path to the number, e.g. <c>queue.depth</c>.</param>
/// <param name="Above">metric: breached when the value is above this.</param>
/// <param name="Below">metric: breached when the value is below this.</param>
public sealed record MonitorTarget(string Url, TargetKind Kind = TargetKind.Health, string? JsonPath = null, double? Above = null, double? Below = null);
