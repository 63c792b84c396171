namespace HitlFunctions.Workflows;

/// <summary>Body of <c>POST /api/workflows/{id}/cancel</c> (optional).</summary>
public sealed record CancelWorkflowRequest(string? Reason, string? RequestedBy);
