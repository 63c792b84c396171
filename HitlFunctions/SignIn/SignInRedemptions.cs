using System.Collections.Concurrent;
using HitlFunctions.Links;

namespace HitlFunctions.SignIn;

/// <summary>
/// The sign-in links sent and not yet used, by nonce, in process memory: a link works once, for the address it was sent
/// to, until it expires. One process only (the local host), which <see cref="Identity.SignInLinkOptions.Enabled"/> says.
/// </summary>
public sealed class SignInRedemptions(TimeProvider timeProvider)
{
    /// <summary>The most links open at once; beyond it the oldest are dropped.</summary>
    public const int MaxOpen = 10_000;

    private readonly ConcurrentDictionary<string, (string Address, DateTimeOffset ExpiresAt)> open = new(StringComparer.Ordinal);

    public void Open(string nonce, string address, DateTimeOffset expiresAt)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        foreach ((string key, (string _, DateTimeOffset expires)) in this.open)
        {
            if (expires <= now)
            {
                this.open.TryRemove(key, out _);
            }
        }

        if (this.open.Count >= MaxOpen)
        {
            foreach (string oldest in this.open.OrderBy(e => e.Value.ExpiresAt).Take(this.open.Count - MaxOpen + 1).Select(e => e.Key))
            {
                this.open.TryRemove(oldest, out _);
            }
        }

        this.open[nonce] = (address, expiresAt);
    }

    /// <summary>The address a verified, unused link signs in, without using it up (for the confirmation page).</summary>
    public string? Peek(SignInClaims claims) =>
        this.open.TryGetValue(claims.Nonce, out (string Address, DateTimeOffset ExpiresAt) entry) && Valid(claims, entry) ? entry.Address : null;

    /// <summary>Uses a link up and returns its address; null when it was used, expired, unknown or not for that address.</summary>
    public string? Redeem(SignInClaims claims) =>
        this.open.TryRemove(claims.Nonce, out (string Address, DateTimeOffset ExpiresAt) entry) && Valid(claims, entry) ? entry.Address : null;

    private bool Valid(SignInClaims claims, (string Address, DateTimeOffset ExpiresAt) entry) =>
        entry.ExpiresAt > timeProvider.GetUtcNow() && claims.IsFor(entry.Address);
}
