using HitlFunctions.Tests.Infrastructure;
using Microsoft.OpenApi;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HitlFunctions.Tests.Operations;

/// <summary>The API reference page as a person reads it: a real Chromium, phone and desktop, checked with axe-core.</summary>
public sealed class ApiReferenceBrowserTests(BrowserHostFixture host, ITestOutputHelper output) : IClassFixture<BrowserHostFixture>
{
    public static TheoryData<string> Screens => new() { "phone", "desktop" };

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Docs_OpenedInABrowser_ShowsEveryOperationAndLinksTheDocument(string screen)
    {
        await using IBrowserContext context = await host.NewContextAsync(screen == "phone" ? BrowserHostFixture.Phone : BrowserHostFixture.Desktop);
        IPage page = await context.NewPageAsync();
        List<string> blocked = [];
        page.Console += (_, message) => blocked.Add(message.Text);

        IResponse? response = await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/docs").ToString());

        Assert.Equal(200, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "HitlFunctions API" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 3, Name = "POST /api/approvals/{approvalId}/decision" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 3, Name = "GET /api/links/{token}" })).ToBeVisibleAsync();
        OpenApiDocument served = OpenApiDocument.Parse(await host.Http.GetStringAsync("/api/openapi.json"), "json").Document!;
        Assert.Equal(served.Paths.Sum(p => p.Value.Operations!.Count), await page.GetByRole(AriaRole.Heading, new() { Level = 3 }).CountAsync());
        await BrowserHostFixture.AssertAccessibleAsync(page);
        output.WriteLine($"Screenshot: {await host.ScreenshotAsync(page, $"api-reference-{screen}")}");

        // The stylesheet passes the page's own Content-Security-Policy: the browser reports nothing it refused.
        Assert.DoesNotContain(blocked, text => text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));

        IResponse? document = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "openapi.json" }).ClickAsync(), r => r.Url.EndsWith("/api/openapi.json", StringComparison.Ordinal));
        Assert.Equal(200, document.Status);
        Assert.StartsWith("application/json", document.Headers["content-type"], StringComparison.Ordinal);
    }
}
