using System.Security.Cryptography;
using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>
/// The hash an approval is bound to: <c>sha256:</c> and the hex SHA-256 of the proposal's compact JSON. A decision
/// that carries the hash of what the person saw is refused when the approval shows something else. Pure, so the
/// checkpoint computes it when it opens a level.
/// </summary>
public static class ProposalHash
{
    public static string Of(JsonElement proposal) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(proposal)));

    /// <summary>The hash the ticket was opened with (computed for tickets from before hashes were stored).</summary>
    public static string Of(ApprovalTicket ticket) => ticket.ProposalHash ?? Of(ticket.Proposal);
}
