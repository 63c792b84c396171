using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.Approvals;

/// <summary>
/// One request cannot flood people: each flood limit refuses a definition that would pass it (400 naming the field and
/// the limit, nothing started), and the outbox sends one recipient at most so many emails per window. The flooding
/// requests are sent with HttpClient, as an attacker's script would.
/// </summary>
public sealed class FloodLimitTests(FloodLimitHostFixture host) : IClassFixture<FloodLimitHostFixture>
{
    public static TheoryData<string, string, string> Floods() => new()
    {
        { """{"approvers": ["a@example.com"], "timeout": "00:10:00", "reminders": {"interval": "00:00:00.0000001", "maxCount": 1}}""", "steps[1](review).reminders.interval", "Limits:MinReminderInterval" },
        { """{"approvers": ["a@example.com"], "timeout": "00:00:00.5"}""", "steps[1](review).timeout", "Limits:MinLevelTimeout" },
        { """{"approvers": ["a@example.com"], "timeout": "00:10:00", "escalation": [{"approvers": ["b@example.com"], "timeout": "00:00:00.1"}]}""", "steps[1](review).escalation[0].timeout", "Limits:MinLevelTimeout" },
        { """{"approvers": ["a@example.com", "b@example.com", "c@example.com", "d@example.com"], "timeout": "00:10:00"}""", "steps[1](review).approvers", "Limits:MaxApproversPerLevel (3)" },
        { """{"approvers": ["a@example.com"], "timeout": "00:10:00", "escalation": [{"approvers": ["b@example.com"], "timeout": "00:10:00"}, {"approvers": ["c@example.com"], "timeout": "00:10:00"}]}""", "steps[1](review).escalation", "Limits:MaxLevels (2)" },
        { """{"approvers": ["a@example.com", "b@example.com", "c@example.com"], "timeout": "00:10:00", "reminders": {"interval": "00:01:00", "maxCount": 5}}""", "steps", "Limits:MaxNotificationsPerWorkflow (10)" },
    };

    [Theory]
    [MemberData(nameof(Floods))]
    public async Task Start_DefinitionOverALimit_Returns400NamingFieldAndLimit_AndStartsNothing(string review, string field, string limit)
    {
        string id = LocalHostFixture.NewId("flood");
        string body = "{\"id\": \"" + id + "\", \"input\": {}, \"definition\": {\"name\": \"flood\", \"steps\": [{\"name\": \"draft\", \"kind\": \"ai\", \"prompt\": \"p\"}, "
            + "{\"name\": \"review\", \"kind\": \"approval\", \"source\": \"draft\", \"title\": \"t\", " + review[1..] + "]}}";

        using HttpResponseMessage response = await host.Http.PostAsync("/api/workflows", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"definition.{field}", problem.GetProperty("field").GetString());
        Assert.Contains(limit, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await host.Durable.GetInstanceAsync(id));
    }

    [Fact]
    public async Task StartMonitor_OnCallOverTheLimits_Returns400()
    {
        object definition = new
        {
            name = "m",
            target = new { url = $"{host.Webhooks.BaseUrl}/health" },
            checkInterval = "00:01:00",
            failuresToIncident = 2,
            remediationUrl = $"{host.Webhooks.BaseUrl}/fix",
            onCall = new[] { new { approvers = new[] { "a@example.com" }, timeout = "00:10:00" }, new { approvers = new[] { "b@example.com" }, timeout = "00:10:00" }, new { approvers = new[] { "c@example.com" }, timeout = "00:10:00" } },
            quietPeriod = "00:10:00",
            reminders = new { interval = "00:00:00.001", maxCount = 3 },
        };

        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/monitors", new { id = LocalHostFixture.NewId("mon"), definition });

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        string[] fields = [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];
        Assert.Contains("definition.onCall", fields);
        Assert.Contains("definition.reminders.interval", fields);
    }

    [Fact]
    public async Task Outbox_OneRecipient_GetsAtMostTheRatePerWindow()
    {
        string recipient = $"flooded-{Guid.NewGuid():N}@example.com";
        string id = await host.StartAsync(new
        {
            input = new { },
            definition = new
            {
                name = "rate",
                steps = new object[]
                {
                    new { name = "draft", kind = "ai", prompt = "p" },
                    new { name = "review", kind = "approval", source = "draft", title = "t", approvers = new[] { recipient }, timeout = "00:10:00" },
                },
            },
        });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        NotificationProcessor outbox = host.Services.GetRequiredService<NotificationProcessor>();

        List<NotificationOutcome> outcomes = [];
        for (int i = 0; i < FloodLimitHostFixture.MaxPerRecipient + 2; i++)
        {
            NotificationMessage reminder = new($"{approval.ApprovalId}:flood:{i}", NotificationKind.Reminder, [recipient], approval.ApprovalId, id, "t", 1, approval.Ticket.DueAt, null);
            outcomes.Add(await outbox.ProcessAsync(OutboxJson.Serialize(OutboxMessage.For(reminder, recipient)), CancellationToken.None));
        }

        Assert.Equal([NotificationOutcome.Sent, NotificationOutcome.Sent, NotificationOutcome.RateLimited, NotificationOutcome.RateLimited], outcomes);
    }
}
