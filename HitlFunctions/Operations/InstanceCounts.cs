namespace HitlFunctions.Operations;

/// <summary>How many instances of one kind stand where.</summary>
/// <param name="WaitingForPerson">Running instances that wait for an approval (a workflow's checkpoint, a monitor's incident).</param>
public sealed record InstanceCounts(string Kind, int Running, int WaitingForPerson, int Suspended, int Failed, int Completed, int Terminated);
