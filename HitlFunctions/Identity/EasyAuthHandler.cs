using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Identity;

/// <summary>
/// Reads the principal App Service Authentication puts in <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON with
/// <c>auth_typ</c>, <c>claims</c>, <c>name_typ</c>, <c>role_typ</c>). Only when <see cref="EasyAuthOptions.Enabled"/>:
/// elsewhere the header is just text a client wrote, and it is ignored.
/// </summary>
public sealed class EasyAuthHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    IOptionsMonitor<IdentityOptions> identityOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = this.Request.Headers[PrincipalHeader].ToString();
        if (!identityOptions.CurrentValue.EasyAuth.Enabled || header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        ClientPrincipal? principal;
        try
        {
            principal = header.Length > 16 * 1024 ? null : JsonSerializer.Deserialize<ClientPrincipal>(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
        }
        catch (Exception exception) when (exception is FormatException or JsonException or ArgumentException)
        {
            principal = null;
        }

        if (principal?.Claims is not { Count: > 0 } claims)
        {
            return Task.FromResult(AuthenticateResult.Fail("The client-principal header is not readable."));
        }

        ClaimsIdentity identity = new(
            [.. claims.Where(c => c.Type is not null && c.Value is not null).Select(c => new Claim(c.Type!, c.Value!))],
            this.Scheme.Name,
            principal.NameType ?? ClaimTypes.Name,
            principal.RoleType ?? ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), this.Scheme.Name)));
    }

    private sealed record ClientPrincipal(
        [property: JsonPropertyName("auth_typ")] string? AuthenticationType,
        [property: JsonPropertyName("claims")] IReadOnlyList<ClientClaim>? Claims,
        [property: JsonPropertyName("name_typ")] string? NameType,
        [property: JsonPropertyName("role_typ")] string? RoleType);

    private sealed record ClientClaim(
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("val")] string? Value);
}
