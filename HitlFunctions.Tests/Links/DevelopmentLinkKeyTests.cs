using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Links;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.LocalHost;
using HitlFunctions.Tests.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HitlFunctions.Tests.Links;

/// <summary>
/// Development on the durable backend without a configured link key, as the README's walk-through runs it: the key is
/// kept in the storage account beside the workflows, so a link emailed before a restart still works after it.
/// </summary>
[Collection(DurableHostCollection.Name)]
public sealed partial class DevelopmentLinkKeyTests : IDisposable
{
    private readonly string pickupFolder = Directory.CreateTempSubdirectory("hitl-devkey-mail-").FullName;

    [GeneratedRegex(@"https?://[^\s""<>]+/api/links/[A-Za-z0-9._~-]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("name=\"nonce\" value=\"([^\"]+)\"")]
    private static partial Regex NoncePattern();

    public void Dispose() => Directory.Delete(this.pickupFolder, recursive: true);

    private static string[] Arguments(string environment, string storage, string taskHub, int port, string pickupFolder) =>
    [
        $"--environment={environment}", $"--urls=http://127.0.0.1:{port}", "--backend", "azurestorage", "--task-hub", taskHub,
        $"--ConnectionStrings:Storage={storage}", "--Logging:LogLevel:Default=Warning",
        "--Email:Delivery=Pickup", $"--Email:PickupFolder={pickupFolder}", .. TestKeys.BearerArguments,
    ];

    [Fact]
    public async Task Development_DurableBackend_ALinkEmailedBeforeARestart_WorksAfterIt()
    {
        string[] args = Arguments("Development", await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("devkey"), Azurite.FreePort(), this.pickupFolder);
        string id = LocalHostFixture.NewId("devkey");
        Uri link;
        await using (WebApplication before = LocalHostApp.Build(args))
        {
            await before.StartAsync();
            using HttpClient admin = TestTokens.Client(new Uri(before.Urls.First()), TestTokens.Integration(LocalHostFixture.Integration, "integration"), LocalHostFixture.StateTimeout);
            object review = WorkflowDefinitions.DraftAndReview(Guid.NewGuid().ToString("N"), new() { ["approvers"] = new[] { "ann@example.com" }, ["timeout"] = "00:30:00" });
            using HttpResponseMessage started = await admin.PostAsJsonAsync("/api/workflows", new { definition = review, id });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            link = await LocalHostFixture.WaitFor(this.EmailedLinkAsync, "the approval email");
            await before.StopAsync();
        }

        await using WebApplication after = LocalHostApp.Build(args);
        await after.StartAsync();

        // Not a person's browser (those are in LinkPagesBrowserTests): a plain client, which sends no Origin.
        using HttpClient client = new();
        string page = await client.GetStringAsync(link);
        Assert.Contains("<form method=\"post\" action=\"/api/links\">", page, StringComparison.Ordinal);
        string nonce = WebUtility.HtmlDecode(NoncePattern().Match(page).Groups[1].Value);
        using HttpResponseMessage answered = await client.PostAsync(new Uri(link, "/api/links"), new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = link.Segments[^1], ["nonce"] = nonce, ["action"] = "approve" }));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        using CancellationTokenSource timeout = new(LocalHostProcess.StateTimeout);
        OrchestrationMetadata finished = await after.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(id, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        await after.StopAsync();
    }

    [Fact]
    public async Task Production_DurableBackend_WithoutLinkKeys_DoesNotStart()
    {
        await using WebApplication app = LocalHostApp.Build(
            [.. Arguments("Production", await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("nokey"), Azurite.FreePort(), this.pickupFolder), "--Links:PublicBaseUrl=https://approvals.example.test"]);

        OptionsValidationException refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(LinkOptionsValidator.NoKeyMessage, refused.Failures);
    }

    private async Task<Uri?> EmailedLinkAsync()
    {
        foreach (string file in Directory.GetFiles(this.pickupFolder, "*.eml"))
        {
            using MimeMessage message = await MimeMessage.LoadAsync(file);
            if (LinkPattern().Match(message.TextBody ?? string.Empty) is { Success: true } match)
            {
                return new Uri(match.Value);
            }
        }

        return null;
    }
}
