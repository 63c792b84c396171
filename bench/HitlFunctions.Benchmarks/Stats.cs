using HitlFunctions.Common;

namespace HitlFunctions.Benchmarks;

/// <summary>Percentiles of a sample of measurements, in milliseconds (or any unit the caller uses).</summary>
public sealed record Stats(double P50, double P95, double P99, int N)
{
    public static Stats Of(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0
            ? new Stats(double.NaN, double.NaN, double.NaN, 0)
            : new Stats(At(sorted, 0.50), At(sorted, 0.95), At(sorted, 0.99), sorted.Length);
    }

    private static double At(double[] sorted, double p) => Percentiles.NearestRank(sorted, p);
}

/// <summary>One metric on one backend: ours, the bare Durable Task baseline, and their ratio.</summary>
public sealed record MetricResult(string Backend, string Metric, string Unit, Stats Ours, Stats Baseline, string? Note = null)
{
    /// <summary>Ours divided by the baseline at p50.</summary>
    public double Ratio => this.Baseline.P50 is 0 or double.NaN ? double.NaN : this.Ours.P50 / this.Baseline.P50;
}
