using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Approvals;

/// <summary>The approval routes over real HTTP: lists, details, decisions and their refusals.</summary>
public sealed class ApprovalsApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private async Task<(string WorkflowId, ApprovalRecord Approval)> StartAsync(string editor = "ed@example.com")
    {
        string id = LocalHostFixture.NewId("appr");
        await host.StartAsync(new { workflow = "content-review", input = new { topic = "forests", editor }, id });
        return (id, await host.PendingApprovalAsync(id));
    }

    [Fact]
    public async Task List_ByApproverAndWorkflow_ShowsPendingApproval()
    {
        string approver = $"{Guid.NewGuid():N}@example.com";
        (string id, ApprovalRecord approval) = await this.StartAsync(approver);

        ApprovalSummary[] byApprover = (await host.Http.GetFromJsonAsync<ApprovalSummary[]>($"/api/approvals?approver={approver}", HitlJson.Output))!;
        ApprovalSummary[] byWorkflow = (await host.Http.GetFromJsonAsync<ApprovalSummary[]>($"/api/approvals?workflowId={id}", HitlJson.Output))!;
        ApprovalSummary[] overdue = (await host.Http.GetFromJsonAsync<ApprovalSummary[]>($"/api/approvals?workflowId={id}&overdue=true", HitlJson.Output))!;

        ApprovalSummary summary = Assert.Single(byApprover);
        Assert.Equal((approval.ApprovalId, id, "Review the draft about forests", 1), (summary.ApprovalId, summary.WorkflowId, summary.Title, summary.Level));
        Assert.Equal([approver], summary.Approvers);
        Assert.True(summary.DueAt > summary.AskedAt);
        Assert.Single(byWorkflow);
        Assert.Empty(overdue);
    }

    [Theory]
    [InlineData("/api/approvals?color=blue", "color")]
    [InlineData("/api/approvals?overdue=maybe", "overdue")]
    public async Task List_BadQuery_Returns400(string url, string field)
    {
        using HttpResponseMessage response = await host.Http.GetAsync(url);

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Get_ShowsProposalStateAndAudit()
    {
        (_, ApprovalRecord approval) = await this.StartAsync();

        ApprovalView view = (await host.Http.GetFromJsonAsync<ApprovalView>($"/api/approvals/{approval.ApprovalId}", HitlJson.Output))!;

        Assert.Equal(ApprovalState.Pending, view.Summary.State);
        Assert.Contains("forests", view.Proposal.GetString(), StringComparison.Ordinal);
        Assert.True(view.AllowEdits);
        Assert.Contains(view.Audit, a => a.Kind == AuditKinds.Requested);
    }

    [Theory]
    [InlineData("/api/approvals/0123456789abcdef0123456789abcdef")]
    [InlineData("/api/approvals/not-an-id")]
    public async Task Get_Unknown_Returns404(string url)
    {
        using HttpResponseMessage response = await host.Http.GetAsync(url);

        await ProblemAssert.ReadAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"decision\": \"maybe\", \"approver\": \"ed@example.com\"}", "decision")]
    [InlineData("{\"approver\": \"ed@example.com\"}", "decision")]
    [InlineData("{\"decision\": \"approve\"}", "approver")]
    [InlineData("{\"decision\": \"reject\", \"approver\": \"ed@example.com\", \"edited\": \"x\"}", "edited")]
    [InlineData("{\"decision\": \"approve\", \"approver\": \"ed@example.com\", \"mood\": \"happy\"}", "mood")]
    [InlineData("{\"decision\": \"request-changes\", \"approver\": \"ed@example.com\"}", "comment")]
    [InlineData("{\"decision\": \"request-changes\", \"approver\": \"ed@example.com\", \"comment\": \"  \"}", "comment")]
    [InlineData("{\"decision\": \"request-changes\", \"approver\": \"ed@example.com\", \"comment\": \"shorter\", \"edited\": \"x\"}", "edited")]
    [InlineData("{\"decision\": \"approve\", \"approver\": ", "approver")]
    [InlineData("{\"decision\": \"approve\", \"approver\": \"ed@example.com\", \"comment\": \"lone \\uDC00\"}", "comment")]
    public async Task Decide_BadBody_Returns400_AndRecordsNothing(string body, string field)
    {
        (string id, ApprovalRecord approval) = await this.StartAsync();

        using HttpResponseMessage response = await host.Http.PostAsync($"/api/approvals/{approval.ApprovalId}/decision", new StringContent(body, Encoding.UTF8, "application/json"));

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        ApprovalRecord after = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        Assert.Equal((ApprovalState.Pending, 0), (after.State, after.Decisions.Count));
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running, (await host.Durable.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task Decide_RequestChanges_WhenNoAiStepMadeTheProposal_Returns400()
    {
        // The second review approves the first review's output: there is no ai step to send it back to.
        object definition = new
        {
            name = "two-reviews",
            steps = new object[]
            {
                new { name = "draft", kind = "ai", prompt = "Write" },
                new { name = "first", kind = "approval", source = "draft", title = "First", approvers = new[] { "ed@example.com" }, timeout = "00:05:00" },
                new { name = "second", kind = "approval", source = "first", title = "Second", approvers = new[] { "ed@example.com" }, timeout = "00:05:00" },
            },
        };
        string id = await host.StartAsync(new { definition });
        (await host.DecideAsync((await host.PendingApprovalAsync(id)).ApprovalId, "approve", "ed@example.com")).Dispose();
        ApprovalRecord second = await LocalHostFixture.WaitFor(
            async () => (await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id))).FirstOrDefault(a => a.Ticket.StepName == "second"),
            "the second review");
        Assert.False(second.Ticket.AllowRequestChanges);

        using HttpResponseMessage response = await host.DecideAsync(second.ApprovalId, "request-changes", "ed@example.com", comment: "Shorter");

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("decision", problem.GetProperty("field").GetString());
        Assert.Empty((await host.Ledger.GetAsync(second.ApprovalId))!.Decisions);
    }

    [Fact]
    public async Task Decide_TooLongComment_Returns400()
    {
        (_, ApprovalRecord approval) = await this.StartAsync();

        using HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ed@example.com", comment: new string('c', ApprovalsApi.MaxCommentLength + 1));

        Assert.Equal("comment", (await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Decide_EditsWhenNotAllowed_Returns400()
    {
        object definition = new
        {
            name = "no-edits",
            steps = new object[]
            {
                new { name = "draft", kind = "ai", prompt = "Write" },
                new { name = "review", kind = "approval", source = "draft", title = "No edits", approvers = new[] { "ed@example.com" }, timeout = "00:05:00" },
            },
        };
        string id = await host.StartAsync(new { definition });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        using HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ed@example.com", edited: "changed");

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("does not allow edits", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_ApproverNotAsked_Returns403_AndRecordsNothing()
    {
        (_, ApprovalRecord approval) = await this.StartAsync();

        using HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "mallory@example.com");

        Assert.Equal("approver", (await ProblemAssert.ReadAsync(response, HttpStatusCode.Forbidden)).GetProperty("field").GetString());
        Assert.Empty((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
    }

    [Fact]
    public async Task Decide_UnknownApproval_Returns404()
    {
        using HttpResponseMessage response = await host.DecideAsync("0123456789abcdef0123456789abcdef", "approve", "ed@example.com");

        await ProblemAssert.ReadAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Decide_CommentWithForbiddenCharacters_IsCleaned()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync();
        const string Body = "{\"decision\": \"approve\", \"approver\": \"ed@example.com\", \"comment\": \"ok\\uFFFE\\u0000 fine\\u0007\"}";

        using HttpResponseMessage response = await host.Http.PostAsync($"/api/approvals/{approval.ApprovalId}/decision", new StringContent(Body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal("ok fine", Assert.Single(workflow.Decisions).Comment);
    }

    [Fact]
    public async Task RecordedButUndeliveredDecision_IsRaisedAgain()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync();

        // As if the host died between recording the decision and raising the event.
        DecisionRecording recorded = await host.Ledger.RecordDecisionAsync(
            approval.ApprovalId, new DecisionSubmission("ed@example.com", Verdict.Approve, null, "recorded only"), DateTimeOffset.UtcNow);
        Assert.Equal(DecisionRecordingStatus.Accepted, recorded.Status);
        using HttpResponseMessage response = await host.Http.PostAsync("/api/approvals/redeliver", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal("recorded only", Assert.Single(workflow.Decisions).Comment);
        Assert.DoesNotContain(await host.Ledger.GetUndeliveredAsync(), u => u.Record.ApprovalId == approval.ApprovalId);
    }
}
