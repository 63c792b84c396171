namespace HitlFunctions.Tests.LocalHost;

/// <summary>
/// Tests that run local host processes on Azurite: one at a time, so a 2-core machine is not asked to run several
/// hosts and Azurite at once, while the in-memory tests run beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DurableHostCollection
{
    public const string Name = "Durable host processes";
}

/// <summary>Measurements (load, latency): run alone, after everything else, so they measure the host and not the neighbours.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasurementCollection
{
    public const string Name = "Measurements";
}
