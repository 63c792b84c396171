using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Identity;

/// <summary>
/// Adds the product's identity to a verified principal: a person by email / UPN claim, or an integration (a credential
/// without an address that holds the integration role) by its client name; roles from <see cref="IdentityOptions"/>.
/// Runs after every authentication, so it adds nothing twice.
/// </summary>
public sealed class HitlClaimsTransformation(IOptionsMonitor<IdentityOptions> options) : IClaimsTransformation
{
    private static readonly string[] AddressClaims = ["email", "preferred_username", "upn", ClaimTypes.Email, ClaimTypes.Upn, "emails"];
    private static readonly string[] RoleClaims = ["roles", "role", "groups", ClaimTypes.Role];
    private static readonly string[] ClientClaims = ["azp", "appid", "client_id", "unique_name", "name", ClaimTypes.Name, "sub", ClaimTypes.NameIdentifier];

    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        ClaimsIdentity? verified = principal.Identities.FirstOrDefault(i => i.IsAuthenticated);
        if (verified is null || principal.Identities.Any(i => i.AuthenticationType == HitlSchemes.HitlIdentity))
        {
            return Task.FromResult(principal);
        }

        IdentityOptions settings = options.CurrentValue;
        HashSet<string> granted = [.. verified.Claims.Where(c => RoleClaims.Contains(c.Type, StringComparer.Ordinal)).Select(c => c.Value)];
        HashSet<string> roles = [.. HitlRoles.Mapped.Where(role => GrantedBy(settings, role).Any(granted.Contains))];
        string? address = verified.Claims.FirstOrDefault(c => AddressClaims.Contains(c.Type, StringComparer.Ordinal) && IsAddress(c.Value))?.Value.Trim();
        string? name;
        string kind;
        if (address is not null)
        {
            // A person is never an integration, whatever roles their token carries.
            roles.ExceptWith([HitlRoles.Integration, HitlRoles.OnBehalf]);
            roles.Add(HitlRoles.Approver);
            if (settings.Operators.Any(o => string.Equals(o.Trim(), address, StringComparison.OrdinalIgnoreCase)))
            {
                roles.Add(HitlRoles.Operator);
            }

            name = address;
            kind = Caller.PersonKind;
        }
        else
        {
            name = roles.Contains(HitlRoles.Integration) ? verified.Claims.FirstOrDefault(c => ClientClaims.Contains(c.Type, StringComparer.Ordinal))?.Value : null;
            kind = Caller.IntegrationKind;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return Task.FromResult(principal);
        }

        ClaimsIdentity hitl = new(HitlSchemes.HitlIdentity, Caller.NameClaim, ClaimTypes.Role);
        hitl.AddClaim(new Claim(Caller.NameClaim, name.Trim()));
        hitl.AddClaim(new Claim(Caller.KindClaim, kind));
        hitl.AddClaim(new Claim(Caller.SchemeClaim, verified.AuthenticationType ?? string.Empty));
        hitl.AddClaims(roles.Order(StringComparer.Ordinal).Select(r => new Claim(ClaimTypes.Role, r)));

        ClaimsPrincipal transformed = principal.Clone();
        transformed.AddIdentity(hitl);
        return Task.FromResult(transformed);
    }

    private static List<string> GrantedBy(IdentityOptions settings, string role) =>
        settings.Roles.TryGetValue(role, out List<string>? sources) && sources.Count > 0 ? sources : [role];

    private static bool IsAddress(string value)
    {
        int at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && value.IndexOf('@', at + 1) < 0;
    }
}
