using System.Text.Json;

namespace HitlFunctions.Workflows;

/// <summary>
/// The input of <c>WorkflowOrchestration</c>. The HTTP starter stamps everything the orchestrator needs into it (the
/// definition as it was at start, the settings its templates use), so replay never reads files or configuration.
/// </summary>
/// <param name="WorkflowId">The instance id.</param>
/// <param name="Definition">The definition, as validated at start.</param>
/// <param name="Input">The caller's input.</param>
/// <param name="Settings">Values for <c>{{settings.*}}</c> templates.</param>
/// <param name="RequestFingerprint">A hash of the start request and its caller, to tell a repeated start from a conflicting one.</param>
/// <param name="StartedBy">The authenticated caller that started it (a person's address or an integration's name): the
/// orchestrator reads it only from here, and its approvals refuse it as an approver unless a step allows self-approval.</param>
public sealed record WorkflowStart(
    string WorkflowId,
    WorkflowDefinition Definition,
    JsonElement Input,
    IReadOnlyDictionary<string, string> Settings,
    string RequestFingerprint,
    string? StartedBy = null);
