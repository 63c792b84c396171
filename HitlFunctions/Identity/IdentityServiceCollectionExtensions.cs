using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Identity;

/// <summary>Authentication and authorization of both hosts, registered once.</summary>
public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddHitlIdentity(this IServiceCollection services)
    {
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>());
        services.TryAddSingleton<IClaimsTransformation, HitlClaimsTransformation>();
        services.TryAddSingleton<FunctionAuthorization>();

        services.AddAuthentication(HitlSchemes.Default)
            .AddPolicyScheme(HitlSchemes.Default, "Bearer token, Easy Auth or session", scheme => scheme.ForwardDefaultSelector = SchemeFor)
            .AddJwtBearer(HitlSchemes.Bearer)
            .AddScheme<AuthenticationSchemeOptions, EasyAuthHandler>(HitlSchemes.EasyAuth, configureOptions: null)
            .AddCookie(HitlSchemes.Cookie);

        // After the settings `dotnet user-jwts` and Entra ID use (Authentication:Schemes:Bearer) are bound.
        services.PostConfigure<JwtBearerOptions>(HitlSchemes.Bearer, bearer =>
        {
            bearer.MapInboundClaims = false;
            bearer.TokenValidationParameters.AuthenticationType = HitlSchemes.Bearer;
            bearer.TokenValidationParameters.RequireSignedTokens = true;
            bearer.TokenValidationParameters.RequireExpirationTime = true;
            bearer.TokenValidationParameters.ValidateLifetime = true;
        });
        services.AddOptions<CookieAuthenticationOptions>(HitlSchemes.Cookie).Configure<IHostEnvironment, IOptions<IdentityOptions>>((cookie, environment, identity) =>
        {
            cookie.Cookie.Name = "hitl-session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;

            // The local host serves plain http on localhost in Development; everywhere else the cookie needs https.
            cookie.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = identity.Value.SignIn.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(HitlPolicies.Caller, policy => Caller(policy, _ => true))
            .AddPolicy(HitlPolicies.Operator, policy => Caller(policy, caller => caller.IsOperator))
            .AddPolicy(HitlPolicies.Starter, policy => Caller(policy, caller => caller.IsOperator || caller.Has(HitlRoles.Integration)));
        return services;
    }

    private static void Caller(AuthorizationPolicyBuilder policy, Func<Caller, bool> allowed) =>
        policy.AddAuthenticationSchemes(HitlSchemes.Default)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => Identity.Caller.From(context.User) is { } caller && allowed(caller));

    /// <summary>
    /// The platform's header first where Easy Auth is on (it has verified the caller), then a bearer token, then the
    /// session cookie.
    /// </summary>
    private static string SchemeFor(HttpContext context)
    {
        bool easyAuth = context.RequestServices.GetRequiredService<IOptionsMonitor<IdentityOptions>>().CurrentValue.EasyAuth.Enabled;
        if (easyAuth && context.Request.Headers.ContainsKey(EasyAuthHandler.PrincipalHeader))
        {
            return HitlSchemes.EasyAuth;
        }

        return context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? HitlSchemes.Bearer : HitlSchemes.Cookie;
    }
}
