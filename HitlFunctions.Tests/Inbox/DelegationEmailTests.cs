using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Tests.Infrastructure;
using MimeKit;

namespace HitlFunctions.Tests.Inbox;

/// <summary>The delegate's email on real parts: the outbox on Azurite's queue, MailKit, a real SMTP server on loopback.</summary>
public sealed partial class DelegationEmailTests(EmailHostFixture host) : IClassFixture<EmailHostFixture>
{
    [GeneratedRegex(@"https?://[^\s""<>]+/api/links/[A-Za-z0-9_\-\.]+")]
    private static partial Regex LinkPattern();

    [Fact]
    public async Task Delegation_DelegateEmail_SaysOnWhoseBehalf_AndCarriesTheirOwnLink()
    {
        string owner = $"owner-{Guid.NewGuid():N}"[..14] + "@example.com";
        string helper = $"helper-{Guid.NewGuid():N}"[..15] + "@example.com";
        using HttpClient ownerApi = TestTokens.Client(new Uri(host.BaseUrl), TestTokens.Person(owner), LocalHostFixture.StateTimeout);
        using (HttpResponseMessage set = await ownerApi.PutAsJsonAsync("/api/me/delegation", new { to = helper, until = DateTimeOffset.UtcNow.AddDays(2), mode = "as-well", workflows = new[] { "content-review" } }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        using (HttpResponseMessage started = await host.Http.PostAsJsonAsync("/api/workflows", new { workflow = "content-review", input = new { topic = "rock pools", editor = owner } }))
        {
            Assert.True(started.IsSuccessStatusCode);
        }

        MimeMessage toHelper = await host.Smtp.WaitForAsync(helper);
        MimeMessage toOwner = await host.Smtp.WaitForAsync(owner);
        Assert.Contains($"You are asked on behalf of {owner} (as well as {owner}), {owner} is away until", toHelper.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("on behalf of", toOwner.TextBody, StringComparison.Ordinal);
        string helperLink = LinkPattern().Match(toHelper.TextBody ?? string.Empty).Value;
        Assert.NotEqual(LinkPattern().Match(toOwner.TextBody ?? string.Empty).Value, helperLink);

        using HttpResponseMessage page = await host.Http.GetAsync(new Uri(helperLink));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"on behalf of {owner}", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
