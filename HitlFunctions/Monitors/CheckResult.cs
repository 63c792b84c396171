namespace HitlFunctions.Monitors;

/// <summary>One check of a monitor's target.</summary>
/// <param name="Healthy">Whether the check passed.</param>
/// <param name="Value">The metric's value, for metric targets.</param>
/// <param name="Detail">What was seen: status code, value, error.</param>
public sealed record CheckResult(DateTimeOffset At, bool Healthy, double? Value, string Detail);
