using System.Reflection;
using HitlFunctions.Common;
using HitlFunctions.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace HitlFunctions.Identity;

/// <summary>
/// Applies an HTTP function's <c>[Authorize]</c> / <c>[AllowAnonymous]</c> attributes to a request, the same way in
/// both hosts: the Functions app's <see cref="FunctionAuthorizationMiddleware"/> and the local host's endpoints call
/// it. Authenticates with the policy's schemes (setting <see cref="HttpContext.User"/>), then evaluates the policy.
/// A function that declares nothing gets <see cref="HitlPolicies.Caller"/>: unmarked means closed, not open.
/// </summary>
public sealed class FunctionAuthorization(IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator)
{
    /// <summary>
    /// Null when the request may go on; otherwise the refusal: a 401 or 403 problem for a client of the API, and for a
    /// person opening a page, a redirect to sign in or a 403 page (functions marked <see cref="HtmlPageAttribute"/>).
    /// </summary>
    public async Task<IResult?> AuthorizeAsync(HttpContext context, MethodInfo function)
    {
        if (function.GetCustomAttribute<AllowAnonymousAttribute>() is not null)
        {
            return null;
        }

        IAuthorizeData[] declared = [.. function.GetCustomAttributes<AuthorizeAttribute>()];
        AuthorizationPolicy policy = await AuthorizationPolicy.CombineAsync(policies, declared.Length > 0 ? declared : [new AuthorizeAttribute(HitlPolicies.Caller)])
            ?? throw new InvalidOperationException($"No authorization policy for {function.Name}.");
        AuthenticateResult authenticated = await evaluator.AuthenticateAsync(policy, context);
        PolicyAuthorizationResult result = await evaluator.AuthorizeAsync(policy, authenticated, context, resource: null);
        bool page = function.GetCustomAttribute<HtmlPageAttribute>() is not null;
        if (result.Challenged && page && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            // A person opening a page (the inbox, the dashboard) is sent to sign in, and back here after.
            return TypedResults.Redirect($"/api/signin?returnUrl={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
        }

        if (result.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Create(
                StatusCodes.Status401Unauthorized,
                "Sign-in required",
                authenticated.Failure is null
                    ? "This request needs a verified identity: send a bearer token (Authorization: Bearer ...) or sign in."
                    : "The credential was not accepted (expired, not for this app, or not validly signed). Get a new token and try again.");
        }

        if (result.Forbidden)
        {
            string detail = Caller.From(context.User) is { } caller
                ? $"{caller.Described} may not do this: it needs {Needs(declared)}."
                : "The credential names no person (no email or UPN claim) and no integration (no integration role).";
            return page
                ? PageResults.Message(context, StatusCodes.Status403Forbidden, "Not allowed", detail)
                : Problems.Create(StatusCodes.Status403Forbidden, "Not allowed", detail);
        }

        return null;
    }

    private static string Needs(IAuthorizeData[] declared) =>
        declared.Select(d => d.Policy).FirstOrDefault(p => p is not null) switch
        {
            HitlPolicies.Operator => "the operator role",
            HitlPolicies.Starter => "the integration or operator role",
            _ => "a person or an integration",
        };
}
