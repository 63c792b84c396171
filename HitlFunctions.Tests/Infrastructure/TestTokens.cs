using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>Bearer tokens minted with the tests' signing key, shaped like Entra ID's (a person's email, an app's roles).</summary>
public static class TestTokens
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>A person's token: their address in <c>email</c>, optional token roles.</summary>
    public static string Person(string email, params string[] roles) => Mint(new Dictionary<string, object> { ["email"] = email, ["name"] = email }, roles);

    /// <summary>An app's token: its client name in <c>azp</c>, its app roles.</summary>
    public static string Integration(string client, params string[] roles) => Mint(new Dictionary<string, object> { ["azp"] = client }, roles);

    /// <summary>A signed token with the given claims; the other parameters default to what the test hosts accept.</summary>
    public static string Mint(
        IDictionary<string, object> claims,
        IReadOnlyList<string> roles,
        string issuer = TestKeys.JwtIssuer,
        string audience = TestKeys.JwtAudience,
        DateTime? notBefore = null,
        DateTime? expires = null,
        string signingKey = TestKeys.JwtSigningKey)
    {
        Dictionary<string, object> all = new(claims);
        if (roles.Count > 0)
        {
            all["roles"] = roles.ToArray();
        }

        DateTime from = notBefore ?? DateTime.UtcNow.AddMinutes(-1);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = all,
            Subject = new ClaimsIdentity(),
            NotBefore = from,
            IssuedAt = from,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A client of <paramref name="baseAddress"/> that sends <paramref name="token"/> as its bearer token.</summary>
    public static HttpClient Client(Uri baseAddress, string? token, TimeSpan timeout)
    {
        HttpClient client = new() { BaseAddress = baseAddress, Timeout = timeout };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
