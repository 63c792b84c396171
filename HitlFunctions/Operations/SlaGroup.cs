namespace HitlFunctions.Operations;

/// <summary>Time to decision of one workflow definition or one approver over the period.</summary>
/// <param name="Name">The definition's name, or the approver's address.</param>
/// <param name="Decided">Decisions (a definition's checkpoints decided, or an approver's answers) the times are taken from.</param>
public sealed record SlaGroup(string Name, int Decided, TimeSpan? TimeToDecisionP50, TimeSpan? TimeToDecisionP95);
