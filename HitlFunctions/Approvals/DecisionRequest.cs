using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>Body of <c>POST /api/approvals/{approvalId}/decision</c>.</summary>
/// <param name="ProposalHash">The hash of the proposal the approver was shown; when given, it must be the approval's.</param>
public sealed record DecisionRequest(string? Decision, string? Approver, JsonElement? Edited, string? Comment, string? ProposalHash = null);
