using System.Security.Claims;
using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Identity;
using HitlFunctions.Links;
using HitlFunctions.Notifications;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace HitlFunctions.SignIn;

/// <summary>
/// Sign-in by emailed link for people using pages without a token: the link (signed like approval links, single-use,
/// short-lived, bound to the address) opens a confirmation page and changes nothing; the page's POST starts a session
/// cookie. Mail scanners that fetch the link therefore cannot use it up.
/// </summary>
public sealed partial class SignInApi(
    LinkTokens tokens,
    SignInRedemptions redemptions,
    IEmailTransport email,
    IOptions<IdentityOptions> identity,
    LinkBaseUrl baseUrl,
    TimeProvider timeProvider,
    ILogger<SignInApi> logger)
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Address();

    /// <summary>GET /api/signin: the form that asks for an address.</summary>
    [AllowAnonymous]
    [Function(nameof(SignInPage))]
    public IResult SignInPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin")] HttpRequest request) =>
        this.Enabled(request) ?? Html(request, StatusCodes.Status200OK, SignInPages.Ask());

    /// <summary>POST /api/signin: sends a sign-in link to the address. The answer is the same whatever the address.</summary>
    [AllowAnonymous]
    [Function(nameof(RequestSignIn))]
    public async Task<IResult> RequestSignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signin")] HttpRequest request)
    {
        if ((this.Enabled(request) ?? this.CrossSite(request)) is { } refused)
        {
            return refused;
        }

        string address = request.HasFormContentType ? (await request.ReadFormAsync(request.HttpContext.RequestAborted))["email"].ToString().Trim() : string.Empty;
        if (address.Length > 254 || !Address().IsMatch(address))
        {
            return Html(request, StatusCodes.Status400BadRequest, SignInPages.Ask("That is not an email address."));
        }

        TimeSpan lifetime = identity.Value.SignIn.LinkLifetime;
        DateTimeOffset expiresAt = timeProvider.GetUtcNow() + lifetime;
        (string token, string nonce) = tokens.IssueSignIn(address, expiresAt);
        redemptions.Open(nonce, address, expiresAt);
        Uri link = new(baseUrl.Current, $"api/signin/{token}");
        (string subject, string text, string html) = SignInPages.Email(link, lifetime);
        await email.SendAsync(new EmailMessage($"signin-{nonce}", NotificationKind.SignIn, address, subject, text, html, link), request.HttpContext.RequestAborted);
        string fingerprint = LinkTokens.Fingerprint(token);
        LogLinkSent(logger, fingerprint);
        return Html(request, StatusCodes.Status200OK, SignInPages.Sent(lifetime));
    }

    /// <summary>GET or HEAD /api/signin/{token}: the confirmation page. Changes nothing.</summary>
    [AllowAnonymous]
    [Function(nameof(ShowSignInLink))]
    public IResult ShowSignInLink([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "signin/{token}")] HttpRequest request, string token)
    {
        if (this.Enabled(request) is { } disabled)
        {
            return disabled;
        }

        string? address = tokens.VerifySignIn(token) is { } claims ? redemptions.Peek(claims) : null;
        return address is null
            ? Html(request, StatusCodes.Status404NotFound, SignInPages.LinkNotValid())
            : Html(request, StatusCodes.Status200OK, SignInPages.Confirm(address, token));
    }

    /// <summary>POST /api/signin/session: uses the link up and starts the session.</summary>
    [AllowAnonymous]
    [Function(nameof(StartSession))]
    public async Task<IResult> StartSession([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signin/session")] HttpRequest request)
    {
        if ((this.Enabled(request) ?? this.CrossSite(request)) is { } refused)
        {
            return refused;
        }

        string token = request.HasFormContentType ? (await request.ReadFormAsync(request.HttpContext.RequestAborted))["token"].ToString() : string.Empty;
        string? address = tokens.VerifySignIn(token) is { } claims ? redemptions.Redeem(claims) : null;
        if (address is null)
        {
            string refusedFingerprint = LinkTokens.Fingerprint(token);
            LogLinkRefused(logger, refusedFingerprint);
            return Html(request, StatusCodes.Status404NotFound, SignInPages.LinkNotValid());
        }

        ClaimsIdentity person = new([new Claim("email", address), new Claim("amr", "email-link")], HitlSchemes.Cookie);
        await request.HttpContext.SignInAsync(HitlSchemes.Cookie, new ClaimsPrincipal(person));
        string fingerprint = LinkTokens.Fingerprint(token);
        LogSignedIn(logger, fingerprint);
        return Html(request, StatusCodes.Status200OK, SignInPages.SignedIn(address));
    }

    /// <summary>POST /api/signout: ends the session.</summary>
    [AllowAnonymous]
    [Function(nameof(SignOut))]
    public async Task<IResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signout")] HttpRequest request)
    {
        if (this.CrossSite(request) is { } refused)
        {
            return refused;
        }

        await request.HttpContext.SignOutAsync(HitlSchemes.Cookie);
        return Html(request, StatusCodes.Status200OK, SignInPages.SignedOut());
    }

    /// <summary>GET /api/me: who the request is authenticated as, and how.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Function(nameof(WhoAmI))]
    public IResult WhoAmI([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request)
    {
        Caller caller = Caller.From(request.HttpContext.User)!;
        return TypedResults.Ok(new { name = caller.Name, kind = caller.IsPerson ? Caller.PersonKind : Caller.IntegrationKind, roles = caller.Roles.Order(StringComparer.Ordinal).ToArray(), scheme = caller.Scheme });
    }

    private ContentHttpResult? Enabled(HttpRequest request) =>
        identity.Value.SignIn.Enabled ? null : Html(request, StatusCodes.Status404NotFound, LinkPages.Message("Not available", "Sign-in by email link is not enabled here."));

    private ContentHttpResult? CrossSite(HttpRequest request) =>
        SameSiteForms.IsCrossSite(request, baseUrl.Origin)
            ? Html(request, StatusCodes.Status403Forbidden, LinkPages.Message("Please use the sign-in page", "This form was sent from another site, so nothing happened."))
            : null;

    private static ContentHttpResult Html(HttpRequest request, int status, string html)
    {
        HttpResponse response = request.HttpContext.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = LinkPages.ContentSecurityPolicy;

        // same-origin, not no-referrer: the forms' POSTs must carry the real Origin for the cross-site check.
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers["X-Robots-Tag"] = "noindex";
        return TypedResults.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {Fingerprint} sent")]
    private static partial void LogLinkSent(ILogger logger, string fingerprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {Fingerprint} used: session started")]
    private static partial void LogSignedIn(ILogger logger, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link {Fingerprint} refused (used, expired, unknown or forged)")]
    private static partial void LogLinkRefused(ILogger logger, string fingerprint);
}
