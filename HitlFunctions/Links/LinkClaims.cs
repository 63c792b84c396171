using System.Security.Cryptography;
using System.Text;

namespace HitlFunctions.Links;

/// <summary>What a verified link token says: one approver, one approval, one level, some actions, until a time.</summary>
/// <param name="KeyId">The key that signed it.</param>
/// <param name="ApprovalId">The approval (one level of one checkpoint).</param>
/// <param name="ApproverHash">A hash of the approver's address, so the URL does not carry the address.</param>
/// <param name="Level">The escalation level.</param>
/// <param name="Actions">The actions it allows.</param>
/// <param name="ExpiresAt">When it stops working.</param>
public sealed record LinkClaims(string KeyId, string ApprovalId, string ApproverHash, int Level, LinkActions Actions, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether <paramref name="approver"/> is the approver this token was issued to.</summary>
    public bool IsFor(string approver) => CryptographicOperations.FixedTimeEquals(
        Encoding.ASCII.GetBytes(this.ApproverHash), Encoding.ASCII.GetBytes(LinkTokens.HashApprover(approver)));
}
