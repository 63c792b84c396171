using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>A tool call as an approval's view and a decision's receipt show it.</summary>
/// <param name="Tool">The tool.</param>
/// <param name="Arguments">In a view, the arguments proposed; in a receipt, the arguments the call runs with once approved (the edited ones after an edit).</param>
/// <param name="Reason">The model's stated reason.</param>
/// <param name="CallId">The model's id of the call.</param>
public sealed record ToolCallView(string Tool, JsonElement Arguments, string? Reason, string CallId);
