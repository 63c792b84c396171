using HitlFunctions.Links;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HitlFunctions.Tests.Links;

/// <summary>Link tokens on their own: signing, verification, expiry, binding and key rotation.</summary>
public sealed class LinkTokensTests
{
    private const string ApprovalId = "0123456789abcdef0123456789abcdef";
    private const LinkActions All = LinkActions.Approve | LinkActions.Reject | LinkActions.ApproveWithEdits;

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private LinkTokens Tokens(params (string Id, string Secret, string? Created)[] keys) => new(
        Microsoft.Extensions.Options.Options.Create(new LinkOptions
        {
            SigningKeys = [.. keys.Select(k => new LinkSigningKey { Id = k.Id, Secret = k.Secret, Created = k.Created is null ? null : DateTimeOffset.Parse(k.Created, System.Globalization.CultureInfo.InvariantCulture) })],
        }),
        Environment(Environments.Production),
        this.clock,
        NullLogger<LinkTokens>.Instance);

    private LinkTokens Current() => this.Tokens((TestKeys.OldId, TestKeys.OldSecret, "2024-01-01"), (TestKeys.CurrentId, TestKeys.CurrentSecret, "2025-01-01"));

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };

    [Fact]
    public void Issue_ThenVerify_ReturnsTheBoundClaims()
    {
        LinkTokens tokens = this.Current();
        DateTimeOffset expires = this.clock.GetUtcNow().AddHours(2);

        string token = tokens.Issue(ApprovalId, "Ann@Example.com", 2, LinkActions.Approve | LinkActions.Reject, expires);
        LinkClaims? claims = tokens.Verify(token);

        Assert.NotNull(claims);
        Assert.Equal((TestKeys.CurrentId, ApprovalId, 2, LinkActions.Approve | LinkActions.Reject), (claims.KeyId, claims.ApprovalId, claims.Level, claims.Actions));
        Assert.Equal(expires.ToUnixTimeSeconds(), claims.ExpiresAt.ToUnixTimeSeconds());
        Assert.True(claims.IsFor(" ann@example.COM "));
        Assert.False(claims.IsFor("bob@example.com"));
        Assert.DoesNotContain("ann", token, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Issue_TwiceForTheSameApprover_GivesDifferentTokensWithRandomMaterial()
    {
        LinkTokens tokens = this.Current();
        DateTimeOffset expires = this.clock.GetUtcNow().AddHours(2);

        string first = tokens.Issue(ApprovalId, "ann@example.com", 1, All, expires);
        string second = tokens.Issue(ApprovalId, "ann@example.com", 1, All, expires);

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Verify_TamperedSignatureOrPayload_IsRefused(int part)
    {
        LinkTokens tokens = this.Current();
        string[] parts = tokens.Issue(ApprovalId, "ann@example.com", 1, All, this.clock.GetUtcNow().AddHours(1)).Split('.');
        char[] chars = parts[part].ToCharArray();
        chars[5] = chars[5] == 'A' ? 'B' : 'A';
        parts[part] = new string(chars);

        Assert.Null(tokens.Verify(string.Join('.', parts)));
    }

    [Fact]
    public void Verify_TokenSignedWithAnotherKeyOfTheSameId_IsRefused()
    {
        LinkTokens other = this.Tokens((TestKeys.CurrentId, Convert.ToBase64String(new byte[32]), null));
        string forged = other.Issue(ApprovalId, "ann@example.com", 1, All, this.clock.GetUtcNow().AddHours(1));

        Assert.Null(this.Current().Verify(forged));
    }

    [Fact]
    public void Verify_AfterExpiry_IsRefused()
    {
        LinkTokens tokens = this.Current();
        string token = tokens.Issue(ApprovalId, "ann@example.com", 1, All, this.clock.GetUtcNow().AddMinutes(10));
        Assert.NotNull(tokens.Verify(token));

        this.clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(tokens.Verify(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("k2025..")]
    [InlineData("k2025.!!!.???")]
    [InlineData("..........")]
    public void Verify_Garbage_IsRefusedWithoutThrowing(string token) =>
        Assert.Null(this.Current().Verify(token));

    [Fact]
    public void Verify_OverlongToken_IsRefused() =>
        Assert.Null(this.Current().Verify(new string('a', 10_000)));

    [Fact]
    public void KeyRotation_NewestKeySigns_OldTokensStillVerify_RetiredKeyTokensDoNot()
    {
        LinkTokens before = this.Tokens((TestKeys.OldId, TestKeys.OldSecret, null));
        string inFlight = before.Issue(ApprovalId, "ann@example.com", 1, All, this.clock.GetUtcNow().AddHours(1));

        LinkTokens rotated = this.Current();
        Assert.Equal(TestKeys.CurrentId, rotated.SigningKeyId);
        Assert.Equal(TestKeys.OldId, rotated.Verify(inFlight)?.KeyId);
        Assert.StartsWith($"{TestKeys.CurrentId}.", rotated.Issue(ApprovalId, "ann@example.com", 1, All, this.clock.GetUtcNow().AddHours(1)), StringComparison.Ordinal);

        LinkTokens retired = this.Tokens((TestKeys.CurrentId, TestKeys.CurrentSecret, null));
        Assert.Null(retired.Verify(inFlight));
    }

    [Fact]
    public void FormNonce_BoundToItsTokenAndLifetime()
    {
        LinkTokens tokens = this.Current();
        string token = tokens.Issue(ApprovalId, "ann@example.com", 1, All, this.clock.GetUtcNow().AddDays(1));
        string otherToken = tokens.Issue(ApprovalId, "bob@example.com", 1, All, this.clock.GetUtcNow().AddDays(1));
        string nonce = tokens.IssueFormNonce(token);

        Assert.True(tokens.VerifyFormNonce(token, nonce, TimeSpan.FromHours(1)));
        Assert.False(tokens.VerifyFormNonce(otherToken, nonce, TimeSpan.FromHours(1)));
        Assert.False(tokens.VerifyFormNonce(token, null, TimeSpan.FromHours(1)));
        Assert.False(tokens.VerifyFormNonce(token, "AAAA", TimeSpan.FromHours(1)));

        this.clock.Advance(TimeSpan.FromHours(2));
        Assert.False(tokens.VerifyFormNonce(token, nonce, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Startup_NoKeyOutsideDevelopment_FailsWithAClearMessage()
    {
        LinkOptionsValidator validator = new(Environment(Environments.Production));

        ValidateOptionsResult result = validator.Validate(null, new LinkOptions { PublicBaseUrl = new Uri("https://approvals.example.com") });

        Assert.True(result.Failed);
        Assert.Contains("Links:SigningKeys is empty", result.FailureMessage, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => this.Tokens());
    }

    [Theory]
    [InlineData("k1", "c2hvcnQ=", "https://a.example.com", "at least 32 bytes")]
    [InlineData("bad id!", TestKeys.CurrentSecret, "https://a.example.com", "letters, digits or dashes")]
    [InlineData("k1", TestKeys.CurrentSecret, "http://a.example.com", "https")]
    public void Startup_BadSettings_AreNamed(string id, string secret, string baseUrl, string expected)
    {
        LinkOptionsValidator validator = new(Environment(Environments.Production));

        ValidateOptionsResult result = validator.Validate(null, new LinkOptions { SigningKeys = [new LinkSigningKey { Id = id, Secret = secret }], PublicBaseUrl = new Uri(baseUrl) });

        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_WithoutKeys_UsesAnEphemeralKey()
    {
        Assert.True(new LinkOptionsValidator(Environment(Environments.Development)).Validate(null, new LinkOptions()).Succeeded);
        LinkTokens tokens = new(Microsoft.Extensions.Options.Options.Create(new LinkOptions()), Environment(Environments.Development), this.clock, NullLogger<LinkTokens>.Instance);

        string token = tokens.Issue(ApprovalId, "ann@example.com", 1, All, this.clock.GetUtcNow().AddHours(1));

        Assert.NotNull(tokens.Verify(token));
    }
}
