using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Workflows;

/// <summary>The workflow routes over real HTTP: starts, idempotency, status, and every kind of bad input.</summary>
public sealed class WorkflowsApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static StringContent Json(string body, string contentType = "application/json") => new(body, Encoding.UTF8, contentType);

    [Fact]
    public async Task Start_ContentReview_Returns202WithStatusUrl()
    {
        string id = LocalHostFixture.NewId("start");
        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/workflows", new { workflow = "content-review", input = new { topic = "tides", editor = "ed@example.com" }, id });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        WorkflowStarted started = (await response.Content.ReadFromJsonAsync<WorkflowStarted>(HitlJson.Output))!;
        Assert.Equal((id, $"/api/workflows/{id}", false), (started.Id, started.StatusUrl, started.Existing));
        Assert.Equal($"/api/workflows/{id}", response.Headers.Location?.OriginalString);

        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        WorkflowView view = (await host.Http.GetFromJsonAsync<WorkflowView>(started.StatusUrl, HitlJson.Output))!;
        Assert.Equal(("content-review", "Running", "review"), (view.Workflow, view.RuntimeStatus, view.CurrentStep));
        Assert.Equal(approval.ApprovalId, Assert.Single(view.PendingApprovals).ApprovalId);
    }

    [Fact]
    public async Task Start_SameIdSameBody_ReturnsExisting_DifferentBody_Conflict()
    {
        string id = LocalHostFixture.NewId("idem");
        object body = new { workflow = "content-review", input = new { topic = "tides", editor = "ed@example.com" }, id };
        using HttpResponseMessage first = await host.Http.PostAsJsonAsync("/api/workflows", body);
        using HttpResponseMessage again = await host.Http.PostAsJsonAsync("/api/workflows", body);
        using HttpResponseMessage other = await host.Http.PostAsJsonAsync("/api/workflows", new { workflow = "content-review", input = new { topic = "waves", editor = "ed@example.com" }, id });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<WorkflowStarted>(HitlJson.Output))!.Existing);
        JsonElement problem = await ProblemAssert.ReadAsync(other, HttpStatusCode.Conflict);
        Assert.Equal("id", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Start_ConcurrentSameId_StartsOneInstance_OthersSeeItOrConflict()
    {
        string id = LocalHostFixture.NewId("race");
        object Body(string topic) => new { workflow = "content-review", input = new { topic, editor = "ed@example.com" }, id };

        // No lock in the app: the backend's unique instance ids are the guard, across hosts as within one.
        HttpResponseMessage[] same = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Http.PostAsJsonAsync("/api/workflows", Body("tides"))));
        HttpResponseMessage[] other = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.Http.PostAsJsonAsync("/api/workflows", Body("waves"))));

        Assert.Single(same, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.All(same.Where(r => r.StatusCode != HttpStatusCode.Accepted), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(other, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        Assert.Contains("tides", approval.Ticket.Proposal.ToString(), StringComparison.Ordinal);
        Assert.Single(await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false)));
        foreach (HttpResponseMessage response in same.Concat(other))
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("{\"workflow\": \"content-review\", \"input\": {\"topic\": \"x\"", "input", "Malformed")]
    [InlineData("{\"workflow\": \"content-review\", \"input\": {\"topic\": \"x\", \"editor\": \"ed@example.com\"}, \"colour\": 1}", "colour", "Unknown field")]
    [InlineData("{\"workflow\": \"content-review\", \"input\": {\"topic\": \"x\"}}", "input.editor", "requires input field 'editor'")]
    [InlineData("{\"workflow\": \"content-review\", \"input\": {\"topic\": \"x\", \"editor\": \"not-an-email\"}}", "steps[1](review).approvers", "not an email address")]
    [InlineData("{\"workflow\": \"no-such-flow\", \"input\": {}}", "workflow", "no workflow named 'no-such-flow'")]
    [InlineData("{\"input\": {}}", "workflow", "either 'workflow'")]
    [InlineData("{\"workflow\": 42}", "workflow", "Malformed JSON or a value of the wrong type")]
    [InlineData("{\"workflow\": \"content-review\", \"input\": [1, 2]}", "input", "must be a JSON object")]
    [InlineData("{\"workflow\": \"content-review\", \"id\": \"bad id!\", \"input\": {}}", "id", "An id has")]
    [InlineData("null", null, "not null")]
    [InlineData("", null, "Send a JSON object")]
    public async Task Start_BadInput_Returns400ProblemNamingTheField(string body, string? field, string detailContains)
    {
        using HttpResponseMessage response = await host.Http.PostAsync("/api/workflows", Json(body));

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Start_WrongContentType_Returns415()
    {
        using HttpResponseMessage response = await host.Http.PostAsync("/api/workflows", Json("{\"workflow\": \"content-review\"}", "text/plain"));

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Content-Type", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Start_BodyTooLarge_Returns413()
    {
        string big = new('x', JsonBody.MaxBytes + 10);
        using HttpResponseMessage response = await host.Http.PostAsync("/api/workflows", Json($"{{\"workflow\": \"content-review\", \"input\": {{\"topic\": \"{big}\"}}}}"));

        await ProblemAssert.ReadAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Start_InvalidInlineDefinition_NamesStepAndField_AndStartsNothing()
    {
        string id = LocalHostFixture.NewId("invalid");
        object definition = new
        {
            name = "broken",
            steps = new object[]
            {
                new { name = "draft", kind = "ai", prompt = "Write" },
                new { name = "review", kind = "approval", source = "nowhere", title = "T", approvers = new[] { "a@example.com" }, timeout = "00:00:00" },
            },
        };

        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/workflows", new { definition, id });

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        string[] fields = [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];
        Assert.Contains("definition.steps[1](review).source", fields);
        Assert.Contains("definition.steps[1](review).timeout", fields);
        Assert.Null(await host.Durable.GetInstanceAsync(id));
    }

    [Fact]
    public async Task Get_UnknownOrMalformedId_Returns404()
    {
        using HttpResponseMessage unknown = await host.Http.GetAsync("/api/workflows/does-not-exist");
        using HttpResponseMessage malformed = await host.Http.GetAsync("/api/workflows/%20%3Cscript%3E");

        await ProblemAssert.ReadAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.ReadAsync(malformed, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancel_UnknownWorkflow_Returns404_AndBadBodyReturns400()
    {
        using HttpResponseMessage unknown = await host.Http.PostAsync("/api/workflows/nope/cancel", null);
        using HttpResponseMessage badBody = await host.Http.PostAsync("/api/workflows/nope/cancel", Json("{\"why\": 1}"));

        await ProblemAssert.ReadAsync(unknown, HttpStatusCode.NotFound);
        JsonElement problem = await ProblemAssert.ReadAsync(badBody, HttpStatusCode.BadRequest);
        Assert.Equal("why", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ContentReview_WithWebhook_SendsApprovedEditedTextOnceWithIdempotencyKey()
    {
        string id = LocalHostFixture.NewId("publish");
        host.Webhooks.FailNext("content", 0);
        await host.StartAsync(new { workflow = "content-review", input = new { topic = "rivers", editor = "ed@example.com" }, id });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        (await host.DecideAsync(approval.ApprovalId, "approve", "ed@example.com", edited: "Rivers, edited.")).Dispose();

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(StepStatus.Completed, workflow.Steps.Single(s => s.Name == "publish").Status);
        var calls = host.Webhooks.For("content").Where(c => c.IdempotencyKey.StartsWith(id, StringComparison.Ordinal)).ToArray();
        Assert.Equal("\"Rivers, edited.\"", Assert.Single(calls).Body);
    }

    [Fact]
    public async Task ActionStep_FailingWebhook_IsRetriedWithTheSameIdempotencyKey()
    {
        string marker = Guid.NewGuid().ToString("N");
        string path = $"test/{marker}";
        host.Webhooks.FailNext(path, 2);
        object definition = new
        {
            name = "retry-flow",
            steps = new object[]
            {
                new { name = "draft", kind = "ai", prompt = "Write" },
                new { name = "send", kind = "action", source = "draft", url = $"{{{{settings.testWebhookUrl}}}}/{marker}", maxAttempts = 3 },
            },
        };

        string id = await host.StartAsync(new { definition });

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        IReadOnlyList<TestDoubles.ReceivedWebhook> calls = host.Webhooks.For(path);
        Assert.Equal(3, calls.Count);
        Assert.Single(calls.Select(c => c.IdempotencyKey).Distinct());
    }

    [Fact]
    public async Task ModelOutput_WithForbiddenCharacters_IsCleanedBeforeItEntersHistory()
    {
        string marker = Guid.NewGuid().ToString("N");
        host.Model.Script(marker, "clean\uFFFE text\0 with \uD800lone surrogate\u0007");

        string id = await host.StartAsync(new
        {
            definition = new { name = "odd-output", steps = new object[] { new { name = "draft", kind = "ai", prompt = $"Say {marker}" } } },
        });

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal("clean text with lone surrogate", workflow.Output!.Value.GetString());
    }
}
