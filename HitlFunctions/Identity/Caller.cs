using System.Security.Claims;

namespace HitlFunctions.Identity;

/// <summary>
/// Who is acting, as <see cref="HitlClaimsTransformation"/> derived it from a verified credential: a person (by the
/// address the ledger compares) or an integration (by its client name), with the product's roles.
/// </summary>
/// <param name="Name">A person's address, or an integration's client name.</param>
/// <param name="Scheme">The scheme that verified the credential (Bearer, EasyAuth, Cookies).</param>
public sealed record Caller(string Name, bool IsPerson, string Scheme, IReadOnlySet<string> Roles)
{
    public const string NameClaim = "hitl:name";
    public const string KindClaim = "hitl:kind";
    public const string SchemeClaim = "hitl:scheme";
    public const string PersonKind = "person";
    public const string IntegrationKind = "integration";

    public bool IsOperator => this.Roles.Contains(HitlRoles.Operator);

    public bool Has(string role) => this.Roles.Contains(role);

    /// <summary>How audit lines and receipts name the caller: the address, or "integration {name}".</summary>
    public string Described => this.IsPerson ? this.Name : $"integration {this.Name}";

    /// <summary>The caller of a request, or null when its credential was missing or named nobody the product knows.</summary>
    public static Caller? From(ClaimsPrincipal? user)
    {
        ClaimsIdentity? identity = user?.Identities.FirstOrDefault(i => i.AuthenticationType == HitlSchemes.HitlIdentity);
        string? name = identity?.FindFirst(NameClaim)?.Value;
        if (identity is null || string.IsNullOrEmpty(name))
        {
            return null;
        }

        return new Caller(
            name,
            identity.FindFirst(KindClaim)?.Value == PersonKind,
            identity.FindFirst(SchemeClaim)?.Value ?? string.Empty,
            identity.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }
}
