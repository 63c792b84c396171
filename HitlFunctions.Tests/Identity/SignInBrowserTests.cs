using System.Text.Json;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlFunctions.Tests.Identity;

/// <summary>
/// Sign-in by emailed link as a person does it: a real Chromium asks for the link, opens it from the .eml the product
/// wrote, presses Sign in, uses the session, and signs out. The browser sets every header and keeps the cookie itself.
/// </summary>
public sealed class SignInBrowserTests(BrowserHostFixture host) : IClassFixture<BrowserHostFixture>
{
    private static async Task<JsonElement> MeAsync(IPage page, string url)
    {
        IResponse? response = await page.GotoAsync(url);
        string body = await response!.TextAsync();
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task SignIn_FromTheEmailedLink_StartsASessionThatSignOutEnds()
    {
        string address = $"ann-{Guid.NewGuid():N}"[..12] + "@example.com";
        await using IBrowserContext browser = await host.NewContextAsync(BrowserHostFixture.Desktop);
        IPage page = await browser.NewPageAsync();
        string origin = host.Http.BaseAddress!.ToString().TrimEnd('/');

        await page.GotoAsync($"{origin}/api/signin");
        await page.GetByLabel("Email address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a sign-in link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();

        Uri link = await host.SignInLinkFromEmailAsync(address);
        await page.GotoAsync(link.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(address);
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{origin}/api/inbox");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Inbox");
        await Expect(page.GetByText($"Signed in as {address}")).ToBeVisibleAsync();

        IPage api = await browser.NewPageAsync();
        JsonElement me = await MeAsync(api, $"{origin}/api/me");
        Assert.Equal((address, "person", "Cookies"), (me.GetProperty("name").GetString(), me.GetProperty("kind").GetString(), me.GetProperty("scheme").GetString()));
        BrowserContextCookiesResult session = Assert.Single(await browser.CookiesAsync(), c => c.Name == "hitl-session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);

        // The link is used up: opening it again is refused.
        IResponse? again = await api.GotoAsync(link.ToString());
        Assert.Equal(404, again!.Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signed out" })).ToBeVisibleAsync();
        JsonElement after = await MeAsync(api, $"{origin}/api/me");
        Assert.Equal(401, after.GetProperty("status").GetInt32());
    }
}
