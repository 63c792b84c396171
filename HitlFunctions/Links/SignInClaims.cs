using System.Security.Cryptography;
using System.Text;

namespace HitlFunctions.Links;

/// <summary>What a verified sign-in token says: one nonce, for one address, until a time.</summary>
/// <param name="Nonce">The single-use record's key.</param>
/// <param name="AddressHash">A hash of the address, so the URL does not carry it.</param>
public sealed record SignInClaims(string Nonce, string AddressHash, DateTimeOffset ExpiresAt)
{
    public bool IsFor(string address) => CryptographicOperations.FixedTimeEquals(
        Encoding.ASCII.GetBytes(this.AddressHash), Encoding.ASCII.GetBytes(LinkTokens.HashApprover(address)));
}
