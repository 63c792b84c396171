using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Identity;

/// <summary>
/// Refuses to start outside Development without a way to verify callers: bearer tokens whose issuer and audience are
/// both checked, or App Service Authentication.
/// </summary>
public sealed class IdentityOptionsValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<IdentityOptions>
{
    public const string BearerSection = "Authentication:Schemes:Bearer";

    public const string NothingConfiguredMessage =
        "No authentication is configured, so no caller could be verified: set Authentication:Schemes:Bearer (Authority or SigningKeys, with ValidIssuer and ValidAudience) for Entra ID tokens, and/or Identity:EasyAuth:Enabled=true when the app runs behind App Service Authentication.";

    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        List<string> failures = [];
        if (options.Roles.Keys.FirstOrDefault(role => !HitlRoles.Mapped.Contains(role, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            failures.Add($"Identity:Roles:{unknown} is not a role; roles are {string.Join(", ", HitlRoles.Mapped)}.");
        }

        if (options.SignIn.LinkLifetime < TimeSpan.FromMinutes(1) || options.SignIn.LinkLifetime > TimeSpan.FromDays(1))
        {
            failures.Add("Identity:SignIn:LinkLifetime is between 1 minute and 1 day.");
        }

        if (options.SignIn.SessionLifetime < TimeSpan.FromMinutes(5) || options.SignIn.SessionLifetime > TimeSpan.FromDays(30))
        {
            failures.Add("Identity:SignIn:SessionLifetime is between 5 minutes and 30 days.");
        }

        if (options.SignIn.MaxLinksPerAddress is < 1 or > 100)
        {
            failures.Add("Identity:SignIn:MaxLinksPerAddress is between 1 and 100.");
        }

        if (options.SignIn.MaxRequestsPerClient is < 1 or > 100_000)
        {
            failures.Add("Identity:SignIn:MaxRequestsPerClient is between 1 and 100000.");
        }

        if (options.SignIn.RequestWindow < TimeSpan.FromMinutes(1) || options.SignIn.RequestWindow > TimeSpan.FromDays(1))
        {
            failures.Add("Identity:SignIn:RequestWindow is between 1 minute and 1 day.");
        }

        IConfigurationSection bearer = configuration.GetSection(BearerSection);
        bool bearerConfigured = bearer.GetChildren().Any();
        if (!environment.IsDevelopment())
        {
            if (!bearerConfigured && !options.EasyAuth.Enabled)
            {
                failures.Add(NothingConfiguredMessage);
            }

            if (bearerConfigured && (!HasValues(bearer, "ValidIssuer") || !HasValues(bearer, "ValidAudience")))
            {
                failures.Add($"{BearerSection} needs ValidIssuer (or ValidIssuers) and ValidAudience (or ValidAudiences): without them a token's issuer or audience is not checked.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool HasValues(IConfigurationSection section, string single) =>
        !string.IsNullOrWhiteSpace(section[single]) || section.GetSection($"{single}s").GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value));
}
