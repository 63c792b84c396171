namespace HitlFunctions.Workflows;

/// <summary>A multi-step workflow, as written in a JSON file of the Workflows folder or given inline.</summary>
/// <param name="Name">The workflow's name: letters, digits and dashes.</param>
/// <param name="Description">What it is for.</param>
/// <param name="Inputs">Names of the input fields it requires.</param>
/// <param name="Steps">The steps, run in order.</param>
/// <param name="Output">The step whose output is the workflow's output; the last step with an output when omitted.</param>
public sealed record WorkflowDefinition(
    string Name,
    string? Description,
    IReadOnlyList<string>? Inputs,
    IReadOnlyList<WorkflowStep> Steps,
    string? Output = null);
