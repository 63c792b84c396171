using System.Net;
using HitlFunctions.Pages;
using HitlFunctions.Tests.Infrastructure;

namespace HitlFunctions.Tests.Pages;

/// <summary>The pages' stylesheet and script, served by the app over real HTTP on the local host.</summary>
public sealed class AssetsApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task LinkedAssets_AreServedWithTheirType_AndCachedForGood()
    {
        foreach ((string url, string type) in new[] { (PageAssets.StylesheetUrl, "text/css"), (PageAssets.ScriptUrl, "text/javascript") })
        {
            using HttpResponseMessage response = await host.Client(null).GetAsync(new Uri(url, UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task AnAssetWithAnotherVersion_IsServedButRevalidated_AndAnUnknownOneIsNotFound()
    {
        using HttpResponseMessage stale = await host.Client(null).GetAsync(new Uri($"/api/{PageAssets.Route}/site.css?v=old", UriKind.Relative));
        using HttpResponseMessage unknown = await host.Client(null).GetAsync(new Uri($"/api/{PageAssets.Route}/secrets.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.True(stale.Headers.CacheControl?.NoCache);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task APage_LinksOnlyTheAppsOwnAssets_UnderAPolicyWithoutInlineCode()
    {
        // Hostile: a form post from another site (forged Origin), which the link endpoint refuses with a message page.
        using HttpRequestMessage post = new(HttpMethod.Post, "/api/links") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "x" }) };
        post.Headers.Add("Origin", "https://evil.example.net");
        using HttpResponseMessage response = await host.Client(null).SendAsync(post);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("<!DOCTYPE html>", html.TrimStart(), StringComparison.Ordinal);
        Assert.Contains($"href=\"{PageAssets.StylesheetUrl}\"", html, StringComparison.Ordinal);
        Assert.Contains($"src=\"{PageAssets.ScriptUrl}\"", html, StringComparison.Ordinal);
        string csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(PageResults.ContentSecurityPolicy, csp);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
    }
}
