using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HitlFunctions.Options;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Services;

/// <summary>What a link lets its holder do.</summary>
[Flags]
public enum LinkActions
{
    None = 0,
    Approve = 1,
    Reject = 2,
    ApproveWithEdits = 4,
}

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
        if (token is null || token.Length > 512)
        {
            return null;
        }

        string[] parts = token.Split('.');
        byte[] key = parts.Length == 3 && this.keys.TryGetValue(parts[0], out byte[]? known) ? known : DummyKey;
        byte[] expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts.Length == 3 ? $"{parts[0]}.{parts[1]}" : token));
        byte[]? given = parts.Length == 3 ? TryDecode(parts[2]) : null;
        bool signatureOk = given is not null && CryptographicOperations.FixedTimeEquals(expected, given);
        if (!signatureOk || ReferenceEquals(key, DummyKey))
        {
            return null;
        }

        byte[]? payload = TryDecode(parts[1]);
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
            parts[0],
            Convert.ToHexStringLower(span.Slice(1 + NonceBytes, 16)),
            Convert.ToHexString(span.Slice(46, 16)),
            BinaryPrimitives.ReadInt32BigEndian(span.Slice(33, 4)),
            (LinkActions)span[37],
            expiresAt);
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

/// <summary>Checks <see cref="LinkOptions"/> at start: keys well formed and present outside Development, a usable base URL.</summary>
public sealed class LinkOptionsValidator(IHostEnvironment environment) : IValidateOptions<LinkOptions>
{
    public const string NoKeyMessage =
        "Links:SigningKeys is empty. Emailed approval links need at least one signing key outside Development: set " +
        "Links__SigningKeys__0__Id and Links__SigningKeys__0__Secret (base64 of 32 random bytes, e.g. `openssl rand -base64 32`) from a secret store.";

    public ValidateOptionsResult Validate(string? name, LinkOptions options)
    {
        List<string> failures = [];
        if (options.SigningKeys.Count == 0 && !environment.IsDevelopment())
        {
            failures.Add(NoKeyMessage);
        }

        foreach (LinkSigningKey key in options.SigningKeys)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(key.Id ?? string.Empty, "^[A-Za-z0-9-]{1,16}$"))
            {
                failures.Add($"Links:SigningKeys: key id '{key.Id}' must be 1 to 16 letters, digits or dashes.");
            }

            byte[]? secret = null;
            try
            {
                secret = Convert.FromBase64String(key.Secret ?? string.Empty);
            }
            catch (FormatException)
            {
                // Reported below.
            }

            if (secret is not { Length: >= 32 })
            {
                failures.Add($"Links:SigningKeys: the secret of key '{key.Id}' must be base64 of at least 32 bytes.");
            }
        }

        if (options.SigningKeys.GroupBy(k => k.Id, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            failures.Add("Links:SigningKeys: key ids must be unique.");
        }

        if (options.PublicBaseUrl is null && !environment.IsDevelopment())
        {
            failures.Add("Links:PublicBaseUrl is required outside Development: the address people open approval links at, e.g. https://approvals.example.com.");
        }
        else if (options.PublicBaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Query)))
        {
            failures.Add($"Links:PublicBaseUrl '{url}' must be an absolute http(s) URL without a query.");
        }
        else if (options.PublicBaseUrl is { Scheme: "http" } plain && !plain.IsLoopback && !environment.IsDevelopment())
        {
            failures.Add($"Links:PublicBaseUrl '{plain}' must use https outside Development (http is allowed on loopback only).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Log messages about links. Tokens never appear in clear: only <see cref="LinkTokens.Fingerprint"/>.</summary>
public static partial class LinkLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "No link signing key is configured: using a random key that lasts until this process stops (Development only). Configure Links:SigningKeys for links that survive restarts.")]
    public static partial void EphemeralKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Link {TokenFingerprint} refused ({Reason}) for client {Client}")]
    public static partial void Refused(ILogger logger, string tokenFingerprint, string reason, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {Client} is rate-limited after repeated refused link requests")]
    public static partial void RateLimited(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Information, Message = "Link {TokenFingerprint} recorded a decision on approval {ApprovalId}: {Status}")]
    public static partial void Decided(ILogger logger, string tokenFingerprint, string approvalId, DecisionRecordingStatus status);
}
