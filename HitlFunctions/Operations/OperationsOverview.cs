namespace HitlFunctions.Operations;

/// <summary>What runs, what waits and who is slow, over a period.</summary>
/// <param name="Instances">Instances created in the period, by kind.</param>
/// <param name="Truncated">More instances were created in the period than one overview reads (<see cref="OperationsService.MaxOverviewInstances"/>).</param>
/// <param name="PendingByAge">Every pending approval (whenever asked), by how long it has waited.</param>
/// <param name="SlowestApprovers">The approvers who took longest to answer the approvals asked in the period (median first).</param>
/// <param name="OpenIncidents">Open incidents of the monitors created in the period.</param>
public sealed record OperationsOverview(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<InstanceCounts> Instances,
    bool Truncated,
    int Pending,
    int Overdue,
    IReadOnlyList<AgeBand> PendingByAge,
    IReadOnlyList<SlaGroup> SlowestApprovers,
    IReadOnlyList<OpenIncident> OpenIncidents);
