using System.Security.Cryptography;
using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>
/// The hash an approval is bound to: <c>sha256:</c> and the hex SHA-256 of the proposal's compact JSON. A decision
/// that carries the hash of what the person saw is refused when the approval shows something else. Pure, so the
/// checkpoint computes it when it opens a level. For a tool call it is the hash of the tool, the call, the reason and
/// the arguments together, so an approval of one call never counts for another.
/// </summary>
public static class ProposalHash
{
    public static string Of(JsonElement proposal) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(proposal)));

    public static string Of(JsonElement proposal, ProposedToolCall? toolCall) =>
        toolCall is null ? Of(proposal) : Of(JsonSerializer.SerializeToElement(new { tool = toolCall.Tool, callId = toolCall.CallId, reason = toolCall.Reason, arguments = proposal }));

    /// <summary>The hash the ticket was opened with (computed for tickets from before hashes were stored).</summary>
    public static string Of(ApprovalTicket ticket) => ticket.ProposalHash ?? Of(ticket.Proposal);
}
