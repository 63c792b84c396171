using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using HitlFunctions.Links;
using HitlFunctions.Notifications;
using HitlFunctions.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
    IAntiforgery antiforgery,
    SignInRedemptions redemptions,
    SignInRequestLimiter limiter,
    IEmailTransport email,
    IOptions<IdentityOptions> identity,
    LinkBaseUrl baseUrl,
    TimeProvider timeProvider,
    ILogger<SignInApi> logger)
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Address();

    /// <summary>The form that asks for an address.</summary>
    [AllowAnonymous]
    [Tags("Sign-in")]
    [QueryParameter("returnUrl", typeof(string), "A page of this app under /api/ to open after signing in; anything else is ignored.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(SignInPage))]
    public async Task<IResult> SignInPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin")] HttpRequest request)
    {
        await AuthenticateAsync(request);
        return (IResult?)this.Enabled(request) ?? AskPage(request, StatusCodes.Status200OK, SignInReturnUrl.Local(request.Query["returnUrl"].ToString()));
    }

    /// <summary>Sends a sign-in link to the address. The answer is the same whatever the address.</summary>
    [AllowAnonymous]
    [Tags("Sign-in")]
    [EndpointDescription("The sign-in page's form (application/x-www-form-urlencoded) with the address. The answer is the same whatever the address.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(RequestSignIn))]
    public async Task<IResult> RequestSignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signin")] HttpRequest request)
    {
        await AuthenticateAsync(request);
        if ((this.Enabled(request) ?? this.CrossSite(request) ?? await this.ForgedAsync(request)) is { } refused)
        {
            return refused;
        }

        string client = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limiter.ClientRetryAfter(client) is { } wait)
        {
            LogClientLimited(logger, client);
            request.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return PageResults.Message(
                request.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests", "Too many sign-in links were asked for from here. Wait a few minutes and try again.");
        }

        IFormCollection form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        string address = form["email"].ToString().Trim();
        string? returnUrl = SignInReturnUrl.Local(form["returnUrl"].ToString());
        if (address.Length > 254 || !Address().IsMatch(address))
        {
            return AskPage(request, StatusCodes.Status400BadRequest, returnUrl, "That is not an email address.");
        }

        TimeSpan lifetime = identity.Value.SignIn.LinkLifetime;
        if (!limiter.TryTakeLink(address))
        {
            // The same answer as a sent link, so the limit does not tell whether the address can sign in.
            string addressFingerprint = LinkTokens.Fingerprint(address.ToUpperInvariant());
            LogAddressLimited(logger, addressFingerprint);
            return CheckYourEmail(request, lifetime);
        }

        DateTimeOffset expiresAt = timeProvider.GetUtcNow() + lifetime;
        (string token, string nonce) = tokens.IssueSignIn(address, expiresAt);
        redemptions.Open(nonce, address, expiresAt);
        Uri link = new(baseUrl.Current, returnUrl is null ? $"api/signin/{token}" : $"api/signin/{token}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        (string subject, string text, string html) = SignInEmail.Render(link, lifetime);
        await email.SendAsync(new EmailMessage($"signin-{nonce}", NotificationKind.SignIn, address, subject, text, html, link), request.HttpContext.RequestAborted);
        string fingerprint = LinkTokens.Fingerprint(token);
        LogLinkSent(logger, fingerprint);
        return CheckYourEmail(request, lifetime);
    }

    /// <summary>The confirmation page. Changes nothing.</summary>
    [AllowAnonymous]
    [Tags("Sign-in")]
    [QueryParameter("returnUrl", typeof(string), "A page of this app under /api/ to open after signing in; anything else is ignored.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(ShowSignInLink))]
    public async Task<IResult> ShowSignInLink([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "signin/{token}")] HttpRequest request, string token)
    {
        await AuthenticateAsync(request);
        if (this.Enabled(request) is { } disabled)
        {
            return disabled;
        }

        string? address = tokens.VerifySignIn(token) is { } claims ? redemptions.Peek(claims) : null;
        return address is null
            ? LinkNotValid(request)
            : PageResults.Page<SignInConfirmPage>(request.HttpContext, StatusCodes.Status200OK, new Dictionary<string, object?>
            {
                [nameof(SignInConfirmPage.Address)] = address,
                [nameof(SignInConfirmPage.Token)] = token,
                [nameof(SignInConfirmPage.ReturnUrl)] = SignInReturnUrl.Local(request.Query["returnUrl"].ToString()),
            });
    }

    /// <summary>Uses the link up and starts the session.</summary>
    [AllowAnonymous]
    [Tags("Sign-in")]
    [EndpointDescription("The confirmation page's form (with its antiforgery token); sets the hitl-session cookie and redirects to the returnUrl, or the inbox.")]
    [ProducesResponseType(StatusCodes.Status303SeeOther)]
    [Function(nameof(StartSession))]
    public async Task<IResult> StartSession([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signin/session")] HttpRequest request)
    {
        await AuthenticateAsync(request);
        if ((this.Enabled(request) ?? this.CrossSite(request) ?? await this.ForgedAsync(request)) is { } refused)
        {
            return refused;
        }

        IFormCollection form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        string token = form["token"].ToString();
        string? address = tokens.VerifySignIn(token) is { } claims ? redemptions.Redeem(claims) : null;
        if (address is null)
        {
            string refusedFingerprint = LinkTokens.Fingerprint(token);
            LogLinkRefused(logger, refusedFingerprint);
            return LinkNotValid(request);
        }

        ClaimsIdentity person = new([new Claim("email", address), new Claim("amr", "email-link")], HitlSchemes.Cookie);
        await request.HttpContext.SignInAsync(HitlSchemes.Cookie, new ClaimsPrincipal(person));
        string fingerprint = LinkTokens.Fingerprint(token);
        LogSignedIn(logger, fingerprint);
        return PageResults.SeeOther(SignInReturnUrl.Local(form["returnUrl"].ToString()) ?? SignInReturnUrl.Default);
    }

    /// <summary>Ends the session.</summary>
    // Anonymous, so that signing out of a session that already ended shows "Signed out" rather than a refusal; a
    // session that is still on is ended only by the form of one of its own pages (its antiforgery token is bound to it).
    [AllowAnonymous]
    [Tags("Sign-in")]
    [EndpointDescription("The sign-out form of the signed-in pages (with its antiforgery token).")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(SignOut))]
    public async Task<IResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signout")] HttpRequest request)
    {
        if (this.CrossSite(request) is { } refused)
        {
            return refused;
        }

        if (await AuthenticateAsync(request))
        {
            if (await this.ForgedAsync(request) is { } forged)
            {
                return forged;
            }

            await request.HttpContext.SignOutAsync(HitlSchemes.Cookie);
        }

        return PageResults.Page<SignedOutPage>(request.HttpContext, StatusCodes.Status200OK);
    }

    /// <summary>Who the request is authenticated as, and how.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Sign-in")]
    [ProducesResponseType<CallerView>(StatusCodes.Status200OK)]
    [Function(nameof(WhoAmI))]
    public IResult WhoAmI([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request)
    {
        Caller caller = Caller.From(request.HttpContext.User)!;
        return TypedResults.Ok(new CallerView(caller.Name, caller.IsPerson ? Caller.PersonKind : Caller.IntegrationKind, [.. caller.Roles.Order(StringComparer.Ordinal)], caller.Scheme));
    }

    private RazorComponentResult<MessagePage>? Enabled(HttpRequest request) =>
        identity.Value.SignIn.Enabled ? null : PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "Not available", "Sign-in by email link is not enabled here.");

    private RazorComponentResult<MessagePage>? CrossSite(HttpRequest request) =>
        SameSiteForms.IsCrossSite(request, baseUrl.Origin)
            ? PageResults.Message(request.HttpContext, StatusCodes.Status403Forbidden, "Please use the sign-in page", "This form was sent from another site, so nothing happened.")
            : null;

    /// <summary>
    /// Sets the request's user to whoever its credential names, or nobody; true for somebody. These routes are
    /// anonymous, and a host may or may not have authenticated them already; antiforgery tokens are bound to the user,
    /// so a page's token and its form's POST must be checked against the same one in both hosts.
    /// </summary>
    private static async Task<bool> AuthenticateAsync(HttpRequest request)
    {
        AuthenticateResult result = await request.HttpContext.AuthenticateAsync(HitlSchemes.Default);
        request.HttpContext.User = result.Succeeded ? result.Principal : new ClaimsPrincipal(new ClaimsIdentity());
        return result.Succeeded;
    }

    /// <summary>A refusal for a form without this app's antiforgery token (or not a form at all); null for a valid one.</summary>
    private async Task<RazorComponentResult<MessagePage>?> ForgedAsync(HttpRequest request)
    {
        if (request.HasFormContentType && await antiforgery.IsRequestValidAsync(request.HttpContext))
        {
            return null;
        }

        LogForged(logger, request.Path);
        return PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Please use the form again", "This form is out of date or did not come from this app's page, so nothing happened. Open the page again and resend it.");
    }

    private static RazorComponentResult<SignInAskPage> AskPage(HttpRequest request, int status, string? returnUrl, string? error = null) =>
        PageResults.Page<SignInAskPage>(request.HttpContext, status, new Dictionary<string, object?> { [nameof(SignInAskPage.ReturnUrl)] = returnUrl, [nameof(SignInAskPage.Error)] = error });

    private static RazorComponentResult<MessagePage> CheckYourEmail(HttpRequest request, TimeSpan lifetime) =>
        PageResults.Message(
            request.HttpContext, StatusCodes.Status200OK, "Check your email", $"If the address can sign in, a link is on its way. It works once, within {(int)lifetime.TotalMinutes} minutes.");

    private static RazorComponentResult<MessagePage> LinkNotValid(HttpRequest request) =>
        PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "Link not valid", "This sign-in link is not valid, was already used or has expired. Ask for a new one.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {Fingerprint} sent")]
    private static partial void LogLinkSent(ILogger logger, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link for address {AddressFingerprint} not sent: the address had its links for the window")]
    private static partial void LogAddressLimited(ILogger logger, string addressFingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in request from {Client} refused: too many from this client")]
    private static partial void LogClientLimited(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {Fingerprint} used: session started")]
    private static partial void LogSignedIn(ILogger logger, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A form to {Path} without a valid antiforgery token was refused")]
    private static partial void LogForged(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link {Fingerprint} refused (used, expired, unknown or forged)")]
    private static partial void LogLinkRefused(ILogger logger, string fingerprint);
}
