namespace HitlFunctions.Dashboard;

/// <summary>One bar of a <see cref="BarChart"/>: its label, its length, and the number written beside it.</summary>
public sealed record ChartBar(string Label, double Value, string Display);
