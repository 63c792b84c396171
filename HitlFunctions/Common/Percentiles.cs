namespace HitlFunctions.Common;

/// <summary>Percentiles of sorted samples, by nearest rank: the app's SLA figures and the benchmark use the same rule.</summary>
public static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="p"/>-quantile (0 to 1) of <paramref name="sorted"/>, which is sorted ascending and not empty.</summary>
    public static T NearestRank<T>(IReadOnlyList<T> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
