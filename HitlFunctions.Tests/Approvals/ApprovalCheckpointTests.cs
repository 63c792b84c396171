using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.Workflows;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Approvals;

/// <summary>The approval checkpoint on the real engine: outcomes, policies, reminders, escalation, timeouts.</summary>
public sealed class ApprovalCheckpointTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private async Task<(string WorkflowId, ApprovalRecord Approval)> StartReviewAsync(Dictionary<string, object?> review, string? marker = null)
    {
        marker ??= Guid.NewGuid().ToString("N");
        string id = await host.StartAsync(new { definition = WorkflowDefinitions.DraftAndReview(marker, review), id = LocalHostFixture.NewId("cp") });
        return (id, await host.PendingApprovalAsync(id));
    }

    private static Dictionary<string, object?> Review(string[] approvers, string timeout = "00:05:00", object? policy = null, object? escalation = null, object? reminders = null, string onTimeout = "reject") => new()
    {
        ["approvers"] = approvers,
        ["timeout"] = timeout,
        ["policy"] = policy,
        ["escalation"] = escalation,
        ["reminders"] = reminders,
        ["onTimeout"] = onTimeout,
    };

    [Fact]
    public async Task Checkpoint_Approved_WorkflowCompletesWithDraft()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com"]));

        using HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com", comment: "Fine");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        DecisionReceipt receipt = (await response.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output))!;
        Assert.StartsWith("Approved by ann@example.com at ", receipt.Message, StringComparison.Ordinal);

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Contains("Write about", workflow.Output!.Value.GetString(), StringComparison.Ordinal);
        Assert.Equal(StepStatus.Approved, workflow.Steps.Single(s => s.Name == "review").Status);
        DecisionView decision = Assert.Single(workflow.Decisions);
        Assert.Equal(("ann@example.com", Verdict.Approve, "Fine"), (decision.Approver, decision.Verdict, decision.Comment));
    }

    [Fact]
    public async Task Checkpoint_Rejected_WorkflowStopsRejected()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com"]));

        using HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "reject", "ann@example.com", comment: "Off topic");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Rejected, workflow.Outcome);
        Assert.Null(workflow.Output);
        Assert.Contains("ann@example.com", workflow.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoint_ApprovedWithEdits_EditedProposalIsTheOutput()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com"]));

        using HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com", edited: "Edited text");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal("Edited text", workflow.Output!.Value.GetString());
        Assert.Equal(StepStatus.ApprovedWithEdits, workflow.Steps.Single(s => s.Name == "review").Status);
        Assert.True(Assert.Single(workflow.Decisions).Edited);
    }

    [Fact]
    public async Task FirstResponsePolicy_SecondApproverAfterDecision_GetsConflict()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com", "bob@example.com"]));

        using HttpResponseMessage first = await host.DecideAsync(approval.ApprovalId, "reject", "bob@example.com");
        using HttpResponseMessage second = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(WorkflowOutcome.Rejected, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task AllMustApprovePolicy_WaitsForEveryApprover()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com", "bob@example.com"], policy: new { kind = "AllMustApprove" }));

        using HttpResponseMessage first = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com");
        DecisionReceipt receipt = (await first.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output))!;
        Assert.Equal(ApprovalState.Pending, receipt.ApprovalState);
        Assert.Equal(ApprovalState.Pending, (await host.Ledger.GetAsync(approval.ApprovalId))!.State);

        using HttpResponseMessage second = await host.DecideAsync(approval.ApprovalId, "approve", "bob@example.com");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(2, workflow.Decisions.Count);
    }

    [Fact]
    public async Task Checkpoint_EndsOnTheLedgersVerdict_WithoutJudgingThePolicyAgain()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com", "bob@example.com"], policy: new { kind = "AllMustApprove" }));

        // Raised as the delivery raises it, but with a verdict the checkpoint's own reading of the policy (one of two
        // approvals) would not reach: the checkpoint ends on the verdict it is given.
        ApprovalDecision ann = new(Guid.NewGuid().ToString("N"), approval.ApprovalId, "ann@example.com", Verdict.Approve, null, null, DateTimeOffset.UtcNow);
        await host.Durable.RaiseEventAsync(id, DurableEvents.Decision(approval.ApprovalId), new DeliveredDecision(ann, Verdict.Approve));

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(StepStatus.Approved, workflow.Steps.Single(s => s.Name == "review").Status);
    }

    [Fact]
    public async Task QuorumTwoOfThree_ApprovesOnSecondApproval()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(
            Review(["ann@example.com", "bob@example.com", "cy@example.com"], policy: new { kind = "Quorum", requiredApprovals = 2 }));

        (await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com")).Dispose();
        (await host.DecideAsync(approval.ApprovalId, "approve", "cy@example.com")).Dispose();
        using HttpResponseMessage late = await host.DecideAsync(approval.ApprovalId, "reject", "bob@example.com");

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(["ann@example.com", "cy@example.com"], workflow.Decisions.Select(d => d.Approver));
    }

    [Fact]
    public async Task QuorumTwoOfThree_OneRejectionVetoes()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(
            Review(["ann@example.com", "bob@example.com", "cy@example.com"], policy: new { kind = "Quorum", requiredApprovals = 2 }));

        (await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com")).Dispose();
        (await host.DecideAsync(approval.ApprovalId, "reject", "bob@example.com")).Dispose();

        Assert.Equal(WorkflowOutcome.Rejected, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task QuorumTwoOfThree_WithoutVeto_OneRejectionIsOutvoted()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(
            Review(["ann@example.com", "bob@example.com", "cy@example.com"], policy: new { kind = "Quorum", requiredApprovals = 2, rejectionVetoes = false }));

        (await host.DecideAsync(approval.ApprovalId, "reject", "bob@example.com")).Dispose();
        Assert.Equal(ApprovalState.Pending, (await host.Ledger.GetAsync(approval.ApprovalId))!.State);
        (await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com")).Dispose();
        (await host.DecideAsync(approval.ApprovalId, "approve", "cy@example.com")).Dispose();

        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task Reminders_SentTheConfiguredNumberOfTimes_ThenTimesOut()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(
            Review(["ann@example.com"], timeout: "00:00:04", reminders: new { interval = "00:00:01", maxCount = 2 }));

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);

        Assert.Equal(WorkflowOutcome.TimedOut, workflow.Outcome);
        NotificationMessage[] sent = [.. host.Notifications.Sent.Where(n => n.ApprovalId == approval.ApprovalId)];
        Assert.Equal(2, sent.Count(n => n.Kind == NotificationKind.Reminder));
        Assert.Equal(1, sent.Count(n => n.Kind == NotificationKind.Request));
        Assert.Equal(ApprovalState.TimedOut, (await host.Ledger.GetAsync(approval.ApprovalId))!.State);
    }

    [Fact]
    public async Task Timeout_EscalatesToLevelTwo_ApprovedThere()
    {
        (string id, ApprovalRecord level1) = await this.StartReviewAsync(
            Review(["ann@example.com"], timeout: "00:00:02", escalation: new[] { new { approvers = new[] { "boss@example.com" }, timeout = "00:05:00" } }));

        ApprovalRecord level2 = await host.PendingApprovalAsync(id, level: 2);
        Assert.NotEqual(level1.ApprovalId, level2.ApprovalId);
        Assert.Equal(ApprovalState.Escalated, (await host.Ledger.GetAsync(level1.ApprovalId))!.State);
        // The ledger opens level 2 before the checkpoint's notify activity runs: wait for the notification itself.
        NotificationMessage escalation = await LocalHostFixture.WaitFor(
            () => Task.FromResult(host.Notifications.Sent.SingleOrDefault(n => n.ApprovalId == level2.ApprovalId && n.Kind == NotificationKind.Escalation)),
            "the escalation notification");
        Assert.Contains("ann@example.com", escalation.Detail, StringComparison.Ordinal);

        using HttpResponseMessage response = await host.DecideAsync(level2.ApprovalId, "approve", "boss@example.com");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(2, Assert.Single(workflow.Decisions).Level);
    }

    [Fact]
    public async Task LateAnswerToLevelOne_AfterEscalation_IsGoneAndDoesNotSatisfyLevelTwo()
    {
        (string id, ApprovalRecord level1) = await this.StartReviewAsync(
            Review(["ann@example.com"], timeout: "00:00:02", escalation: new[] { new { approvers = new[] { "ann@example.com", "boss@example.com" }, timeout = "00:05:00" } }));
        ApprovalRecord level2 = await host.PendingApprovalAsync(id, level: 2);

        using HttpResponseMessage late = await host.DecideAsync(level1.ApprovalId, "approve", "ann@example.com");

        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Contains("escalated", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ApprovalState.Pending, (await host.Ledger.GetAsync(level2.ApprovalId))!.State);
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running, (await host.Durable.GetInstanceAsync(id))!.RuntimeStatus);

        (await host.DecideAsync(level2.ApprovalId, "reject", "boss@example.com")).Dispose();
        Assert.Equal(WorkflowOutcome.Rejected, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Theory]
    [InlineData("reject", WorkflowOutcome.TimedOut, "Completed")]
    [InlineData("approve", WorkflowOutcome.Completed, "Completed")]
    [InlineData("fail", WorkflowOutcome.Failed, "Failed")]
    public async Task LastLevelTimesOut_ConfiguredOutcome(string onTimeout, WorkflowOutcome expected, string runtimeStatus)
    {
        (string id, _) = await this.StartReviewAsync(Review(["ann@example.com"], timeout: "00:00:01", onTimeout: onTimeout));

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);

        Assert.Equal(expected, workflow.Outcome);
        Assert.Equal(runtimeStatus, workflow.RuntimeStatus);
    }

    [Fact]
    public async Task ConcurrentDecisions_RecordExactlyOne()
    {
        string[] approvers = [.. Enumerable.Range(1, 8).Select(i => $"p{i}@example.com")];
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(approvers));

        HttpResponseMessage[] responses = await Task.WhenAll(
            approvers.Concat(approvers).Select(a => host.DecideAsync(approval.ApprovalId, "approve", a)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Single(workflow.Decisions);
        Assert.Single((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task RepeatedDecision_SameApprover_ReturnsTheRecordedDecision()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com"]));

        (await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com", comment: "first")).Dispose();
        using HttpResponseMessage repeat = await host.DecideAsync(approval.ApprovalId, "reject", "ANN@example.com", comment: "second");

        Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
        JsonElement problem = JsonDocument.Parse(await repeat.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Approve", problem.GetProperty("recorded").GetProperty("verdict").GetString());
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal("first", Assert.Single(workflow.Decisions).Comment);
    }

    [Fact]
    public async Task DecisionBeforeTheCheckpointWaits_IsNotLost()
    {
        string marker = Guid.NewGuid().ToString("N");
        host.NotificationGates.Close(marker);
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com"]), marker);

        // The checkpoint has opened the approval but is held in its notify activity, before WaitForExternalEvent.
        await host.NotificationGates.Reached(marker).WaitAsync(LocalHostFixture.StateTimeout);
        using HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.NotificationGates.Open(marker);

        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task Cancel_WhileWaiting_ClosesTheApprovalAndLaterDecisionsAreGone()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(Review(["ann@example.com"]));

        using HttpResponseMessage cancel = await host.Http.PostAsJsonAsync($"/api/workflows/{id}/cancel", new { reason = "No longer needed", requestedBy = LocalHostFixture.Integration });
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Cancelled, workflow.Outcome);
        Assert.Equal(StepStatus.Cancelled, workflow.Steps.Single(s => s.Name == "review").Status);
        Assert.Equal(ApprovalState.Cancelled, (await host.Ledger.GetAsync(approval.ApprovalId))!.State);

        using HttpResponseMessage late = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com");
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        using HttpResponseMessage again = await host.Http.PostAsync($"/api/workflows/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
