namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// Link signing keys for tests: an older one that still verifies, and the current one that signs. And the bearer
/// token settings the test hosts trust, with the key <see cref="TestTokens"/> signs with.
/// </summary>
public static class TestKeys
{
    public const string JwtIssuer = "https://login.hitl.test/tenant/v2.0";
    public const string JwtAudience = "api://hitlfunctions-tests";
    public const string JwtSigningKey = "dGVzdC1vbmx5LWp3dC1zaWduaW5nLWtleS0wMTIzNDU2Nzg5YWJjZGVm";

    /// <summary>Command-line settings that make a host trust tokens from <see cref="TestTokens"/> (as Entra ID or user-jwts settings would).</summary>
    public static readonly string[] BearerArguments =
    [
        $"--Authentication:Schemes:Bearer:ValidIssuer={JwtIssuer}",
        $"--Authentication:Schemes:Bearer:ValidAudiences:0={JwtAudience}",
        $"--Authentication:Schemes:Bearer:SigningKeys:0:Issuer={JwtIssuer}",
        $"--Authentication:Schemes:Bearer:SigningKeys:0:Value={JwtSigningKey}",
    ];

    public const string OldId = "k2024";
    public const string OldSecret = "b2xkLWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwYWJjZGVm";
    public const string CurrentId = "k2025";
    public const string CurrentSecret = "Y3VycmVudC1rZXktZm9yLXRlc3RzLW9ubHktMTIzNDU2Nzg5MGFi";
}
