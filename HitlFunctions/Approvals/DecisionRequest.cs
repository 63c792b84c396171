using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>Body of <c>POST /api/approvals/{approvalId}/decision</c>.</summary>
public sealed record DecisionRequest(string? Decision, string? Approver, JsonElement? Edited, string? Comment);
