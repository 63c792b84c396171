using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Queues.Models;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.Workflows;
using HitlFunctions.Workflows;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace HitlFunctions.Tests.Notifications;

/// <summary>
/// The whole email path on real parts: checkpoint → outbox on Azurite's queue → consumer → MailKit → SMTP server on
/// loopback → the email parsed → its link followed over HTTP → the page's form posted → the workflow completes.
/// </summary>
public sealed partial class EmailPathTests(EmailHostFixture host) : IClassFixture<EmailHostFixture>
{
    [GeneratedRegex(@"https?://[^\s""<>]+/api/links/[A-Za-z0-9_\-\.]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("name=\"(token|nonce)\" value=\"([^\"]+)\"")]
    private static partial Regex HiddenField();

    private async Task<string> StartAsync(object body)
    {
        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/workflows", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private static string Address(string name) => $"{name}-{Guid.NewGuid():N}"[..20] + "@example.com";

    private static string LinkIn(MimeMessage email)
    {
        string text = LinkPattern().Match(email.TextBody ?? string.Empty).Value;
        Assert.NotEmpty(text);
        Assert.Contains(WebUtility.HtmlEncode(text), email.HtmlBody, StringComparison.Ordinal);
        return text;
    }

    private async Task WaitForEmptyQueueAsync() =>
        await LocalHostFixture.WaitFor(
            async () => (await host.Queue.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? (object)true : null,
            "the notification queue to drain");

    [Fact]
    public async Task ContentReview_EmailLinkFollowed_ApprovedWithEdits_WorkflowCompletes()
    {
        string editor = Address("editor");
        string requester = Address("requester");
        string id = await this.StartAsync(new { workflow = "content-review", input = new { topic = "tide pools", editor, requester } });

        MimeMessage request = await host.Smtp.WaitForAsync(editor);
        Assert.Equal("Approval needed: Review the draft about tide pools", request.Subject);
        Assert.Equal("approvals@hitl.test", request.From.Mailboxes.Single().Address);
        string link = LinkIn(request);
        Assert.StartsWith($"{host.BaseUrl}/api/links/", link, StringComparison.Ordinal);
        Assert.DoesNotContain("durabletask", request.TextBody + request.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("code=", request.TextBody + request.HtmlBody, StringComparison.OrdinalIgnoreCase);

        using HttpResponseMessage page = await host.Http.GetAsync(new Uri(link));
        string html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Review the draft about tide pools", html, StringComparison.Ordinal);
        Dictionary<string, string> form = HiddenField().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["action"] = "edit";
        form["edited"] = "Tide pools, edited by the editor.";
        form["comment"] = "Shorter";

        using HttpRequestMessage post = new(HttpMethod.Post, "/api/links") { Content = new FormUrlEncodedContent(form) };
        post.Headers.Add("Origin", host.BaseUrl);
        post.Headers.Add("Sec-Fetch-Site", "same-origin");
        using HttpResponseMessage receipt = await host.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.Contains($"Approved with edits by {editor} at ", await receipt.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using CancellationTokenSource timeout = new(LocalHostFixture.StateTimeout);
        await host.Durable.WaitForInstanceCompletionAsync(id, timeout.Token);
        WorkflowView workflow = (await host.Http.GetFromJsonAsync<WorkflowView>($"/api/workflows/{id}", HitlJson.Output))!;
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal("Tide pools, edited by the editor.", workflow.Output!.Value.GetString());

        MimeMessage notice = await host.Smtp.WaitForAsync(requester);
        Assert.Equal("Decided: Review the draft about tide pools", notice.Subject);
        Assert.Contains($"Approved with edits by {editor}: Shorter", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/links/", notice.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escalation_EmailsTheNextLevel_WithTheirOwnLink_SayingWhoDidNotAnswer()
    {
        string ann = Address("ann");
        string boss = Address("boss");
        string deputy = Address("deputy");
        Dictionary<string, object?> review = new()
        {
            ["approvers"] = new[] { ann },
            ["timeout"] = "00:00:01",
            ["escalation"] = new[] { new { approvers = new[] { boss, deputy }, timeout = "00:05:00" } },
        };
        await this.StartAsync(new { definition = WorkflowDefinitions.DraftAndReview("escalation", review), id = LocalHostFixture.NewId("mail") });

        MimeMessage toBoss = await host.Smtp.WaitForAsync(boss);
        MimeMessage toDeputy = await host.Smtp.WaitForAsync(deputy);

        Assert.StartsWith("Escalated to you:", toBoss.Subject, StringComparison.Ordinal);
        Assert.Contains($"No answer in time from {ann}", toBoss.TextBody, StringComparison.Ordinal);
        Assert.NotEqual(LinkIn(toBoss), LinkIn(toDeputy));
        Assert.Single(host.Smtp.To(ann));
    }

    [Fact]
    public async Task RedeliveredQueueMessage_SendsOneEmail()
    {
        string approver = Address("dup");
        Dictionary<string, object?> review = new() { ["approvers"] = new[] { approver }, ["timeout"] = "00:05:00" };
        await this.StartAsync(new { definition = WorkflowDefinitions.DraftAndReview("dup", review), id = LocalHostFixture.NewId("mail") });
        await host.Smtp.WaitForAsync(approver);
        NotificationMessage sent = host.Services.GetRequiredService<INotificationLog>().Sent.Single(n => n.To.Contains(approver));

        // The same message again, twice: as after a consumer crash between sending and deleting, or an activity retry.
        await host.Queue.EnqueueAsync(OutboxMessage.For(sent, approver));
        await host.Queue.EnqueueAsync(OutboxMessage.For(sent, approver));
        await this.WaitForEmptyQueueAsync();

        Assert.Single(host.Smtp.To(approver));
    }

    [Fact]
    public async Task FailingDelivery_IsRetried_ThenMovesToThePoisonQueue_WithALogEntry()
    {
        string approver = Address("reject");
        Dictionary<string, object?> review = new() { ["approvers"] = new[] { approver }, ["timeout"] = "00:05:00" };
        await this.StartAsync(new { definition = WorkflowDefinitions.DraftAndReview("poison", review), id = LocalHostFixture.NewId("mail") });

        PeekedMessage poisoned = await LocalHostFixture.WaitFor(
            async () => (await host.Queue.PoisonQueue.PeekMessagesAsync(32)).Value.FirstOrDefault(m => m.Body.ToString().Contains(approver, StringComparison.Ordinal)),
            "the message in the poison queue");

        Assert.Equal(approver, OutboxJson.TryDeserialize(poisoned.Body.ToString())!.Recipient);
        Assert.Empty(host.Smtp.To(approver));
        // The queue function logs the last failure as an error; the host that runs it logged the first as a retry.
        Assert.Contains(host.Logs.Entries, e => e.EventId == NotificationQueueFunctions.PoisonedEventId && e.Values["Attempts"] is 2L);
        Assert.Contains(host.Logs.Entries, e => e.EventId == QueueTriggerService.RetryEventId);
    }

    [Fact]
    public async Task UnreadableMessage_EndsInThePoisonQueue()
    {
        string junk = $"not an outbox message {Guid.NewGuid():N}";
        await host.Queue.Queue.SendMessageAsync(junk);

        await LocalHostFixture.WaitFor(
            async () => (await host.Queue.PoisonQueue.PeekMessagesAsync(32)).Value.FirstOrDefault(m => m.Body.ToString() == junk),
            "the junk message in the poison queue");
    }
}
