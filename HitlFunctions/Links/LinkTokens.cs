using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Links;

/// <summary>
/// Issues and verifies emailed-link tokens: <c>keyId.payload.signature</c>, base64url, HMAC-SHA256 over
/// <c>keyId.payload</c>. The payload holds 128 random bits, the approval id, a hash of the approver, the level, the
/// allowed actions and the expiry. The signature is checked (in constant time) before any claim is read. A token is
/// a bearer credential: it is never logged; <see cref="Fingerprint"/> is what logs show.
/// </summary>
public sealed class LinkTokens
{
    private const byte Version = 1;
    private const int NonceBytes = 16;
    private const int PayloadBytes = 1 + NonceBytes + 16 + 4 + 1 + 8 + 16;
    private const int FormNonceMacBytes = 16;
    private const byte SignInVersion = 2;
    private const int SignInPayloadBytes = 1 + NonceBytes + 16 + 8;
    private static readonly byte[] DummyKey = RandomNumberGenerator.GetBytes(32);

    private readonly IReadOnlyDictionary<string, byte[]> keys;
    private readonly string signingKeyId;
    private readonly TimeProvider timeProvider;

    public LinkTokens(IOptions<LinkOptions> options, IHostEnvironment environment, TimeProvider timeProvider, ILogger<LinkTokens> logger)
    {
        this.timeProvider = timeProvider;
        List<LinkSigningKey> configured = options.Value.SigningKeys;
        if (configured.Count == 0)
        {
            if (!environment.IsDevelopment())
            {
                throw new OptionsValidationException(LinkOptions.SectionName, typeof(LinkOptions), [LinkOptionsValidator.NoKeyMessage]);
            }

            // Development only: links work until the process stops.
            this.keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["dev"] = RandomNumberGenerator.GetBytes(32) };
            this.signingKeyId = "dev";
            LinkLog.EphemeralKey(logger);
            return;
        }

        this.keys = configured.ToDictionary(k => k.Id, k => Convert.FromBase64String(k.Secret), StringComparer.Ordinal);
        this.signingKeyId = configured
            .Select((key, index) => (key, index))
            .OrderBy(k => k.key.Created ?? DateTimeOffset.MinValue)
            .ThenBy(k => k.index)
            .Last().key.Id;
    }

    /// <summary>The id of the key that signs new tokens.</summary>
    public string SigningKeyId => this.signingKeyId;

    /// <summary>Issues a token for one approver of one approval level.</summary>
    public string Issue(string approvalId, string approver, int level, LinkActions actions, DateTimeOffset expiresAt)
    {
        byte[] payload = new byte[PayloadBytes];
        Span<byte> span = payload;
        span[0] = Version;
        RandomNumberGenerator.Fill(span.Slice(1, NonceBytes));
        Convert.FromHexString(approvalId).CopyTo(span.Slice(1 + NonceBytes, 16));
        BinaryPrimitives.WriteInt32BigEndian(span.Slice(33, 4), level);
        span[37] = (byte)actions;
        BinaryPrimitives.WriteInt64BigEndian(span.Slice(38, 8), expiresAt.ToUnixTimeSeconds());
        Convert.FromHexString(HashApprover(approver)).CopyTo(span.Slice(46, 16));

        string signed = $"{this.signingKeyId}.{WebEncoders.Base64UrlEncode(payload)}";
        byte[] signature = HMACSHA256.HashData(this.keys[this.signingKeyId], Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{WebEncoders.Base64UrlEncode(signature)}";
    }

    /// <summary>
    /// Verifies a token: shape, key, signature (constant time), then version and expiry. Returns null for any token
    /// that is not one of ours or has expired; callers must not tell the reasons apart to the client.
    /// </summary>
    public LinkClaims? Verify(string? token)
    {
        (string? keyId, byte[]? payload) = this.SignedPayload(token);
        if (payload is not { Length: PayloadBytes } || payload[0] != Version)
        {
            return null;
        }

        ReadOnlySpan<byte> span = payload;
        DateTimeOffset expiresAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(span.Slice(38, 8)));
        if (this.timeProvider.GetUtcNow() >= expiresAt)
        {
            return null;
        }

        return new LinkClaims(
            keyId!,
            Convert.ToHexStringLower(span.Slice(1 + NonceBytes, 16)),
            Convert.ToHexString(span.Slice(46, 16)),
            BinaryPrimitives.ReadInt32BigEndian(span.Slice(33, 4)),
            (LinkActions)span[37],
            expiresAt);
    }

    /// <summary>
    /// Issues a sign-in link token for <paramref name="address"/>: 128 random bits (the nonce the single-use record is
    /// kept under), a hash of the address and the expiry, signed like approval links but never valid as one.
    /// </summary>
    public (string Token, string Nonce) IssueSignIn(string address, DateTimeOffset expiresAt)
    {
        byte[] payload = new byte[SignInPayloadBytes];
        Span<byte> span = payload;
        span[0] = SignInVersion;
        RandomNumberGenerator.Fill(span.Slice(1, NonceBytes));
        Convert.FromHexString(HashApprover(address)).CopyTo(span.Slice(1 + NonceBytes, 16));
        BinaryPrimitives.WriteInt64BigEndian(span.Slice(1 + NonceBytes + 16, 8), expiresAt.ToUnixTimeSeconds());
        string signed = $"{this.signingKeyId}.{WebEncoders.Base64UrlEncode(payload)}";
        byte[] signature = HMACSHA256.HashData(this.keys[this.signingKeyId], Encoding.ASCII.GetBytes(signed));
        return ($"{signed}.{WebEncoders.Base64UrlEncode(signature)}", Convert.ToHexStringLower(span.Slice(1, NonceBytes)));
    }

    /// <summary>Verifies a sign-in token as <see cref="Verify"/> does an approval token; null for anything else or expired.</summary>
    public SignInClaims? VerifySignIn(string? token)
    {
        (_, byte[]? payload) = this.SignedPayload(token);
        if (payload is not { Length: SignInPayloadBytes } || payload[0] != SignInVersion)
        {
            return null;
        }

        ReadOnlySpan<byte> span = payload;
        DateTimeOffset expiresAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(span.Slice(1 + NonceBytes + 16, 8)));
        return this.timeProvider.GetUtcNow() >= expiresAt
            ? null
            : new SignInClaims(Convert.ToHexStringLower(span.Slice(1, NonceBytes)), Convert.ToHexString(span.Slice(1 + NonceBytes, 16)), expiresAt);
    }

    /// <summary>A form nonce for the confirmation page of <paramref name="token"/>: its issue time and a MAC binding both.</summary>
    public string IssueFormNonce(string token)
    {
        long issued = this.timeProvider.GetUtcNow().ToUnixTimeSeconds();
        byte[] nonce = new byte[8 + FormNonceMacBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, issued);
        FormMac(this.keys[this.signingKeyId], token, issued).CopyTo(nonce.AsSpan(8));
        return WebEncoders.Base64UrlEncode(nonce);
    }

    /// <summary>Whether <paramref name="nonce"/> was issued for <paramref name="token"/> by a page shown within <paramref name="lifetime"/>.</summary>
    public bool VerifyFormNonce(string token, string? nonce, TimeSpan lifetime)
    {
        byte[]? bytes = nonce is { Length: < 100 } ? TryDecode(nonce) : null;
        if (bytes is not { Length: 8 + FormNonceMacBytes })
        {
            return false;
        }

        long issued = BinaryPrimitives.ReadInt64BigEndian(bytes);
        bool anyMatch = false;
        foreach (byte[] key in this.keys.Values)
        {
            anyMatch |= CryptographicOperations.FixedTimeEquals(FormMac(key, token, issued), bytes.AsSpan(8));
        }

        DateTimeOffset now = this.timeProvider.GetUtcNow();
        DateTimeOffset issuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(issued, 0, 253_402_300_799L));
        return anyMatch && issuedAt <= now.AddMinutes(1) && now - issuedAt <= lifetime;
    }

    /// <summary>A short, one-way fingerprint of a token for logs.</summary>
    public static string Fingerprint(string? token) =>
        token is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    /// <summary>The hash a token carries for an approver address (trimmed, case-insensitive).</summary>
    public static string HashApprover(string approver) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(approver.Trim().ToUpperInvariant())), 0, 16);

    /// <summary>The payload of a token whose signature (checked in constant time) is by one of our keys; nulls otherwise.</summary>
    private (string? KeyId, byte[]? Payload) SignedPayload(string? token)
    {
        if (token is null || token.Length > 512)
        {
            return (null, null);
        }

        string[] parts = token.Split('.');
        byte[] key = parts.Length == 3 && this.keys.TryGetValue(parts[0], out byte[]? known) ? known : DummyKey;
        byte[] expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts.Length == 3 ? $"{parts[0]}.{parts[1]}" : token));
        byte[]? given = parts.Length == 3 ? TryDecode(parts[2]) : null;
        bool signatureOk = given is not null && CryptographicOperations.FixedTimeEquals(expected, given);
        return !signatureOk || ReferenceEquals(key, DummyKey) ? (null, null) : (parts[0], TryDecode(parts[1]));
    }

    private static byte[] FormMac(byte[] key, string token, long issued) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"form\n{token}\n{issued}"))[..FormNonceMacBytes];

    private static byte[]? TryDecode(string text)
    {
        try
        {
            return WebEncoders.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
