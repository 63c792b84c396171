using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Links;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.SignIn;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.TestDoubles;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace HitlFunctions.Tests.Identity;

/// <summary>
/// Sign-in by emailed link on the local host, with the email delivered over SMTP to a real server on loopback and the
/// pages driven by an HttpClient that keeps cookies as a browser does (it never sets a Cookie header itself).
/// </summary>
public sealed partial class SignInLinkTests : IAsyncLifetime
{
    private const int MaxLinksPerAddress = 3;
    private const int MaxRequestsPerClient = 8;
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private LoopbackSmtpServer smtp = null!;
    private WebApplication development = null!;
    private WebApplication production = null!;
    private Uri developmentUrl = null!;
    private Uri productionUrl = null!;

    [GeneratedRegex(@"https?://\S+/api/signin/[A-Za-z0-9_.-]+")]
    private static partial Regex SignInLink();

    public async Task InitializeAsync()
    {
        this.smtp = LoopbackSmtpServer.Start();
        (this.development, this.developmentUrl) = await this.StartAsync("Development");
        (this.production, this.productionUrl) = await this.StartAsync("Production");
    }

    public async Task DisposeAsync()
    {
        foreach (WebApplication app in new[] { this.development, this.production })
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await this.smtp.DisposeAsync();
    }

    private async Task<(WebApplication App, Uri Url)> StartAsync(string environment)
    {
        Uri url = new($"http://127.0.0.1:{Azurite.FreePort()}");
        string[] args =
        [
            $"--urls={url}",
            $"--environment={environment}",
            "--Logging:LogLevel:Default=Warning",
            $"--Links:SigningKeys:0:Id={TestKeys.CurrentId}",
            $"--Links:SigningKeys:0:Secret={TestKeys.CurrentSecret}",
            $"--Links:PublicBaseUrl={url}",
            "--Identity:SignIn:Enabled=true",
            $"--Identity:SignIn:MaxLinksPerAddress={MaxLinksPerAddress}",
            $"--Identity:SignIn:MaxRequestsPerClient={MaxRequestsPerClient}",
            "--Identity:Operators:0=operator@example.com",
            "--Email:Delivery=Smtp",
            "--Email:Smtp:Host=127.0.0.1",
            $"--Email:Smtp:Port={this.smtp.Port}",
            "--Email:Smtp:Security=None",
            .. TestKeys.BearerArguments,
        ];
        WebApplication app = LocalHostApp.Build(args, services => services.AddSingleton<TimeProvider>(this.clock));
        await app.StartAsync();
        return (app, url);
    }

    private static (HttpClient Client, CookieContainer Cookies) Browser(Uri baseUrl)
    {
        CookieContainer cookies = new();
        return (new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUrl, Timeout = LocalHostFixture.StateTimeout }, cookies);
    }

    /// <summary>Sends the sign-in page's form with <paramref name="address"/>.</summary>
    private static async Task<HttpResponseMessage> AskAsync(HttpClient browser, string address)
    {
        string form = await browser.GetStringAsync("/api/signin");
        return await browser.PostAsync("/api/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = address,
            [PageForms.AntiforgeryField] = PageForms.Field(form, PageForms.AntiforgeryField),
        }));
    }

    /// <summary>Asks for a sign-in link for <paramref name="address"/> on the sign-in page's form and returns the link from the email.</summary>
    private async Task<string> RequestLinkAsync(HttpClient browser, string address)
    {
        int before = this.smtp.To(address).Count;
        using HttpResponseMessage asked = await AskAsync(browser, address);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        MimeMessage email = await LocalHostFixture.WaitFor(() => Task.FromResult(this.smtp.To(address).Skip(before).FirstOrDefault()), $"a sign-in email to {address}");
        return SignInLink().Match(email.TextBody ?? string.Empty).Value;
    }

    /// <summary>The confirmation page's form: the link's token and the page's antiforgery token.</summary>
    private static async Task<Dictionary<string, string>> ConfirmPageFormAsync(HttpClient browser, string link)
    {
        using HttpResponseMessage page = await browser.GetAsync(new Uri(link));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        return new() { ["token"] = PageForms.Field(html, "token"), [PageForms.AntiforgeryField] = PageForms.Field(html, PageForms.AntiforgeryField) };
    }

    private static Task<HttpResponseMessage> ConfirmAsync(HttpClient browser, Dictionary<string, string> form) =>
        browser.PostAsync("/api/signin/session", new FormUrlEncodedContent(form));

    [Fact]
    public async Task SignInLink_ConfirmedOnce_StartsASessionThatSignOutEnds()
    {
        (HttpClient browser, _) = Browser(this.developmentUrl);
        using (browser)
        {
            string link = await this.RequestLinkAsync(browser, "operator@example.com");

            // A mail scanner's fetches show the page and use nothing up.
            Dictionary<string, string> form = await ConfirmPageFormAsync(browser, link);
            Assert.Equal(form["token"], (await ConfirmPageFormAsync(browser, link))["token"]);
            using HttpResponseMessage before = await browser.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);

            using HttpResponseMessage signedIn = await ConfirmAsync(browser, form);
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            Assert.Equal("/api/inbox", signedIn.Headers.Location?.OriginalString);
            using HttpResponseMessage me = await browser.GetAsync("/api/me");
            JsonElement who = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(("operator@example.com", "person", "Cookies"), (who.GetProperty("name").GetString(), who.GetProperty("kind").GetString(), who.GetProperty("scheme").GetString()));
            Assert.Contains("operator", who.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            using HttpResponseMessage ops = await browser.GetAsync("/api/ops/approvals");
            Assert.Equal(HttpStatusCode.OK, ops.StatusCode);

            // The confirmation page's form was the visitor's, not the signed-in person's: its antiforgery token no longer
            // fits. With a token of the session, the used link itself is refused.
            using HttpResponseMessage stale = await ConfirmAsync(browser, form);
            Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
            string inbox = await browser.GetStringAsync("/api/inbox");
            using HttpResponseMessage reused = await ConfirmAsync(browser, new() { ["token"] = form["token"], [PageForms.AntiforgeryField] = PageForms.Field(inbox, PageForms.AntiforgeryField) });
            Assert.Equal(HttpStatusCode.NotFound, reused.StatusCode);
            using HttpResponseMessage reopened = await browser.GetAsync(new Uri(link));
            Assert.Equal(HttpStatusCode.NotFound, reopened.StatusCode);

            using HttpResponseMessage signedOut = await browser.PostAsync("/api/signout", new FormUrlEncodedContent(new Dictionary<string, string> { [PageForms.AntiforgeryField] = PageForms.Field(inbox, PageForms.AntiforgeryField) }));
            Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
            using HttpResponseMessage after = await browser.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
    }

    [Fact]
    public async Task SignInLink_AfterItsLifetime_IsRefused()
    {
        (HttpClient browser, _) = Browser(this.developmentUrl);
        using (browser)
        {
            string link = await this.RequestLinkAsync(browser, "ann@example.com");
            Dictionary<string, string> form = await ConfirmPageFormAsync(browser, link);

            this.clock.Advance(TimeSpan.FromMinutes(16));
            using HttpResponseMessage page = await browser.GetAsync(new Uri(link));
            using HttpResponseMessage confirmed = await ConfirmAsync(browser, form);

            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, confirmed.StatusCode);
            using HttpResponseMessage me = await browser.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }
    }

    [Fact]
    public void SignInToken_IsBoundToTheAddressAndIsNoApprovalLink()
    {
        LinkTokens tokens = this.development.Services.GetRequiredService<LinkTokens>();
        SignInRedemptions redemptions = this.development.Services.GetRequiredService<SignInRedemptions>();
        (string token, string nonce) = tokens.IssueSignIn("ann@example.com", this.clock.GetUtcNow().AddMinutes(5));

        // The single-use record names another address than the token: it signs in nobody.
        redemptions.Open(nonce, "bob@example.com", this.clock.GetUtcNow().AddMinutes(5));
        SignInClaims claims = tokens.VerifySignIn(token)!;

        Assert.True(claims.IsFor("ANN@example.com"));
        Assert.False(claims.IsFor("bob@example.com"));
        Assert.Null(redemptions.Redeem(claims));
        Assert.Null(tokens.Verify(token));
    }

    [Fact]
    public async Task SessionCookie_HttpOnlySameSiteStrict_SecureOutsideDevelopment()
    {
        string Cookie(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hitl-session=", StringComparison.Ordinal)).ToLowerInvariant();

        (HttpClient devBrowser, _) = Browser(this.developmentUrl);
        (HttpClient prodBrowser, _) = Browser(this.productionUrl);
        using (devBrowser)
        using (prodBrowser)
        {
            using HttpResponseMessage dev = await ConfirmAsync(devBrowser, await ConfirmPageFormAsync(devBrowser, await this.RequestLinkAsync(devBrowser, "dev@example.com")));
            using HttpResponseMessage prod = await ConfirmAsync(prodBrowser, await ConfirmPageFormAsync(prodBrowser, await this.RequestLinkAsync(prodBrowser, "prod@example.com")));

            Assert.Contains("httponly", Cookie(dev), StringComparison.Ordinal);
            Assert.Contains("samesite=strict", Cookie(dev), StringComparison.Ordinal);
            Assert.DoesNotContain("secure", Cookie(dev), StringComparison.Ordinal);
            Assert.Contains("httponly", Cookie(prod), StringComparison.Ordinal);
            Assert.Contains("samesite=strict", Cookie(prod), StringComparison.Ordinal);
            Assert.Contains("secure", Cookie(prod), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RequestSignIn_PastTheAddressLimit_AnswersTheSameAndSendsNothing()
    {
        (HttpClient browser, _) = Browser(this.developmentUrl);
        using (browser)
        {
            List<string> pages = [];
            for (int i = 0; i <= MaxLinksPerAddress; i++)
            {
                using HttpResponseMessage asked = await AskAsync(browser, i % 2 == 0 ? "ann@example.com" : " ANN@example.com");
                Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
                pages.Add(await asked.Content.ReadAsStringAsync());
            }

            // The link is sent, and the SMTP server has stored it, before the page answers: these counts are final.
            Assert.Equal(MaxLinksPerAddress, this.smtp.Received.Count(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, "ann@example.com", StringComparison.OrdinalIgnoreCase))));
            Assert.Single(pages.Distinct(StringComparer.Ordinal));
            Assert.Contains("Check your email", pages[0], StringComparison.Ordinal);

            // Another address is not held back by ann's limit.
            Assert.NotEmpty(await this.RequestLinkAsync(browser, "bob@example.com"));
        }
    }

    [Fact]
    public async Task RequestSignIn_FloodFromOneClient_Answers429AndSendsNothing()
    {
        // A hostile client asking for links to many addresses: an HttpClient, as a script would.
        (HttpClient browser, _) = Browser(this.developmentUrl);
        using (browser)
        {
            for (int i = 0; i < MaxRequestsPerClient; i++)
            {
                using HttpResponseMessage asked = await AskAsync(browser, $"flood{i}@example.com");
                Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            }

            using HttpResponseMessage refused = await AskAsync(browser, "victim@example.com");

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.StartsWith("text/html", refused.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            Assert.Contains("Too many requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Empty(this.smtp.To("victim@example.com"));
            Assert.Equal(MaxRequestsPerClient, this.smtp.Received.Count);
        }
    }
}
