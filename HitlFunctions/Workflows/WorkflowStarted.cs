namespace HitlFunctions.Workflows;

/// <summary>Answer to a workflow start.</summary>
public sealed record WorkflowStarted(string Id, string Workflow, string StatusUrl, bool Existing);
