using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Inbox;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.Workflows;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Inbox;

/// <summary>
/// Away rules, hand-overs and reassignments over the real HTTP API of the local host, on the real engine: who is
/// asked, what is refused (and changes nothing), and that each approver's answer counts once whoever gives it.
/// </summary>
public sealed class DelegationApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static string Person(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)] + "@example.com";

    private static readonly DateTimeOffset NextYear = DateTimeOffset.UtcNow.AddDays(300);

    private Task<HttpResponseMessage> DelegateAsync(string owner, string to, string mode = "as-well", IReadOnlyList<string>? workflows = null) =>
        host.As(owner).PutAsJsonAsync("/api/me/delegation", new { to, until = NextYear, mode, workflows });

    private async Task<string> StartReviewAsync(string[] approvers, string? requester = null, object? policy = null)
    {
        string marker = Guid.NewGuid().ToString("N");
        host.Model.Script(marker, $"Draft {marker}");
        Dictionary<string, object?> review = new() { ["approvers"] = approvers, ["timeout"] = "00:10:00", ["requester"] = requester, ["policy"] = policy };
        return await host.StartAsync(new { definition = WorkflowDefinitions.DraftAndReview(marker, review), id = LocalHostFixture.NewId("deleg") });
    }

    /// <summary>A problem of <paramref name="status"/> about <paramref name="field"/>.</summary>
    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field) =>
        Assert.Equal(field, (await ProblemAssert.ReadAsync(response, status)).GetProperty("field").GetString());

    private async Task<ApprovalView> ApprovalAsync(string approvalId) =>
        (await host.Http.GetFromJsonAsync<ApprovalView>($"/api/approvals/{approvalId}", HitlJson.Output))!;

    [Fact]
    public async Task Delegation_AsWell_NewApprovalAsksBoth_DelegateDecidesOnBehalf_OwnerGetsTheRecordedAnswer()
    {
        string owner = Person("owner");
        string helper = Person("helper");
        using (HttpResponseMessage set = await this.DelegateAsync(owner, helper))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            DelegationView view = (await set.Content.ReadFromJsonAsync<DelegationView>(HitlJson.Output))!;
            Assert.Equal((owner, helper, "as-well", true), (view.Owner, view.To, view.Mode, view.Active));
        }

        string id = await this.StartReviewAsync([owner]);
        ApprovalRecord pending = await host.PendingApprovalAsync(id);
        Assert.Equal([owner, helper], Asking.AskedNow(pending.Ticket));
        Assert.Contains(pending.Audit, a => a.Kind == AuditKinds.Delegated && a.Detail!.Contains($"{helper} asked on behalf of {owner} as well as {owner}", StringComparison.Ordinal));

        // The delegate lists it among their own pending approvals.
        ApprovalSummary[] helperList = (await host.As(helper).GetFromJsonAsync<ApprovalSummary[]>("/api/approvals", HitlJson.Output))!;
        Assert.Contains(helperList, a => a.ApprovalId == pending.ApprovalId);

        using HttpResponseMessage decided = await host.DecideAsync(pending.ApprovalId, "approve", helper);
        DecisionReceipt receipt = (await decided.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output))!;
        Assert.Equal((HttpStatusCode.OK, owner, helper), (decided.StatusCode, receipt.Approver, receipt.AnsweredBy));
        Assert.StartsWith($"Approved by {helper} on behalf of {owner} at", receipt.Message, StringComparison.Ordinal);

        // The owner answering too gets the recorded answer back: one answer per approver, exactly once.
        using HttpResponseMessage again = await host.DecideAsync(pending.ApprovalId, "reject", owner);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"on behalf of {owner}", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        DecisionView decision = Assert.Single(workflow.Decisions);
        Assert.Equal((owner, helper), (decision.Approver, decision.AnsweredBy));
        ApprovalView audit = await this.ApprovalAsync(pending.ApprovalId);
        Assert.Contains(audit.Audit, a => a.Kind == AuditKinds.Decided && a.Actor == helper && a.Detail!.StartsWith($"Approved by {helper} on behalf of {owner}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delegation_Quorum_DelegateAndOwnerBothAnswer_CountsOnceForTheOwner()
    {
        string owner = Person("owner");
        string other = Person("other");
        string helper = Person("helper");
        using (HttpResponseMessage set = await this.DelegateAsync(owner, helper))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        string id = await this.StartReviewAsync([owner, other], policy: new { kind = "Quorum", requiredApprovals = 2 });
        ApprovalRecord pending = await host.PendingApprovalAsync(id);

        Task<HttpResponseMessage>[] both = [host.DecideAsync(pending.ApprovalId, "approve", helper), host.DecideAsync(pending.ApprovalId, "approve", owner)];
        HttpStatusCode[] statuses = [.. (await Task.WhenAll(both)).Select(r => r.StatusCode)];
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses.Order());
        Assert.Equal(ApprovalState.Pending, (await host.Ledger.GetAsync(pending.ApprovalId))!.State);

        using HttpResponseMessage last = await host.DecideAsync(pending.ApprovalId, "approve", other);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(2, workflow.Decisions.Count);
        Assert.Equal([other, owner], workflow.Decisions.Select(d => d.Approver).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delegation_Instead_OwnerNotAskedAndRefused_ChainStopsAtTheDelegate()
    {
        string owner = Person("owner");
        string helper = Person("helper");
        string further = Person("further");
        using (HttpResponseMessage first = await this.DelegateAsync(owner, helper, "instead"))
        using (HttpResponseMessage onward = await this.DelegateAsync(helper, further, "instead"))
        {
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, onward.StatusCode));
        }

        string id = await this.StartReviewAsync([owner]);
        ApprovalRecord pending = await host.PendingApprovalAsync(id);

        // The owner's approval goes to the helper only; the helper's own rule does not pass it on to the next person.
        Assert.Equal([helper], Asking.AskedNow(pending.Ticket));
        using (HttpResponseMessage ownerAnswer = await host.DecideAsync(pending.ApprovalId, "approve", owner))
        using (HttpResponseMessage furtherAnswer = await host.DecideAsync(pending.ApprovalId, "approve", further))
        {
            // The owner handed it away and is told to whom; the helper's delegate was never asked.
            JsonElement gone = await ProblemAssert.ReadAsync(ownerAnswer, HttpStatusCode.Gone);
            Assert.Equal(helper, gone.GetProperty("handedTo").GetString());
            Assert.Contains($"away rule asked {helper} instead", gone.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, furtherAnswer.StatusCode);
        }

        Assert.Empty((await host.Ledger.GetAsync(pending.ApprovalId))!.Decisions);
        using HttpResponseMessage decided = await host.DecideAsync(pending.ApprovalId, "reject", helper);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal(WorkflowOutcome.Rejected, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task Delegation_ToTheRequester_DoesNotApply_OwnerStaysAskedAndTheAuditSaysWhy()
    {
        string owner = Person("owner");
        string requester = Person("requester");
        using (HttpResponseMessage set = await this.DelegateAsync(owner, requester, "instead"))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        string id = await this.StartReviewAsync([owner], requester: requester);
        ApprovalRecord pending = await LocalHostFixture.WaitFor(
            async () => await host.Ledger.GetAsync((await host.PendingApprovalAsync(id)).ApprovalId) is { } r && r.Audit.Any(a => a.Kind == AuditKinds.Delegated) ? r : null,
            "the audit line of the rule that did not apply");

        Assert.Equal([owner], Asking.AskedNow(pending.Ticket));
        Assert.Contains(pending.Audit, a => a.Detail!.Contains("does not apply", StringComparison.Ordinal) && a.Detail.Contains("requested this approval", StringComparison.Ordinal));
        using HttpResponseMessage byRequester = await host.DecideAsync(pending.ApprovalId, "approve", requester);
        Assert.Equal(HttpStatusCode.Forbidden, byRequester.StatusCode);
    }

    [Fact]
    public async Task Delegation_RefusedRequests_AreProblemsAndSetNothing()
    {
        string owner = Person("owner");
        string helper = Person("helper");

        using HttpResponseMessage self = await this.DelegateAsync(owner, owner.ToUpperInvariant());
        await AssertProblemAsync(self, HttpStatusCode.BadRequest, "to");
        using HttpResponseMessage badMode = await this.DelegateAsync(owner, helper, "sometimes");
        await AssertProblemAsync(badMode, HttpStatusCode.BadRequest, "mode");
        using HttpResponseMessage past = await host.As(owner).PutAsJsonAsync("/api/me/delegation", new { to = helper, until = DateTimeOffset.UtcNow.AddDays(-1), mode = "instead" });
        await AssertProblemAsync(past, HttpStatusCode.BadRequest, "until");

        // Hostile: a body that names someone else as the owner is not a field the API knows.
        using HttpResponseMessage named = await host.As(owner).PutAsJsonAsync("/api/me/delegation", new { owner = helper, to = owner, until = NextYear, mode = "instead" });
        Assert.Equal(HttpStatusCode.BadRequest, named.StatusCode);

        // An integration has no away rule.
        using HttpResponseMessage integration = await host.Http.PutAsJsonAsync("/api/me/delegation", new { to = helper, until = NextYear, mode = "instead" });
        Assert.Equal(HttpStatusCode.Forbidden, integration.StatusCode);

        using (HttpResponseMessage there = await this.DelegateAsync(helper, owner))
        {
            Assert.Equal(HttpStatusCode.OK, there.StatusCode);
        }

        using HttpResponseMessage loop = await this.DelegateAsync(owner, helper);
        await AssertProblemAsync(loop, HttpStatusCode.Conflict, "to");

        using HttpResponseMessage none = await host.As(owner).GetAsync("/api/me/delegation");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        using HttpResponseMessage handover = await host.As(owner).PostAsync("/api/me/delegation/handover", null);
        Assert.Equal(HttpStatusCode.Conflict, handover.StatusCode);
    }

    [Fact]
    public async Task Handover_ExistingPending_DelegateAskedAndDecides_OtherPeoplesApprovalsUntouched()
    {
        string owner = Person("owner");
        string helper = Person("helper");
        string stranger = Person("stranger");
        string mine = await this.StartReviewAsync([owner]);
        string requestedByHelper = await this.StartReviewAsync([owner], requester: helper);
        string theirs = await this.StartReviewAsync([stranger]);
        ApprovalRecord myApproval = await host.PendingApprovalAsync(mine);
        ApprovalRecord helperRequested = await host.PendingApprovalAsync(requestedByHelper);
        ApprovalRecord strangers = await host.PendingApprovalAsync(theirs);
        using (HttpResponseMessage set = await this.DelegateAsync(owner, helper, "instead"))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        using HttpResponseMessage response = await host.As(owner).PostAsync("/api/me/delegation/handover", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        HandoverResult result = (await response.Content.ReadFromJsonAsync<HandoverResult>(HitlJson.Output))!;
        Assert.Equal([myApproval.ApprovalId], result.HandedOver);
        HandoverSkip skipped = Assert.Single(result.Skipped);
        Assert.Equal(helperRequested.ApprovalId, skipped.ApprovalId);
        Assert.Contains("requested this approval", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal([stranger], Asking.AskedNow((await host.Ledger.GetAsync(strangers.ApprovalId))!.Ticket));
        Assert.Equal([owner], Asking.AskedNow((await host.Ledger.GetAsync(helperRequested.ApprovalId))!.Ticket));

        // The delegate is asked (and emailed), the owner is not any more.
        ApprovalRecord handed = (await host.Ledger.GetAsync(myApproval.ApprovalId))!;
        Assert.Equal([helper], Asking.AskedNow(handed.Ticket));
        Assert.Contains(host.Notifications.Sent, n => n.ApprovalId == myApproval.ApprovalId && n.Kind == NotificationKind.Request && n.To.SequenceEqual([helper]));
        using (HttpResponseMessage byOwner = await host.DecideAsync(myApproval.ApprovalId, "approve", owner))
        {
            JsonElement gone = await ProblemAssert.ReadAsync(byOwner, HttpStatusCode.Gone);
            Assert.Equal((helper, "Delegation"), (gone.GetProperty("handedTo").GetString(), gone.GetProperty("reason").GetString()));
        }

        Assert.Empty((await host.Ledger.GetAsync(myApproval.ApprovalId))!.Decisions);

        using HttpResponseMessage decided = await host.DecideAsync(myApproval.ApprovalId, "approve", helper);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        WorkflowView workflow = await host.CompletedWorkflowAsync(mine);
        Assert.Equal((owner, helper), (Assert.Single(workflow.Decisions).Approver, workflow.Decisions[0].AnsweredBy));

        // Handing over again finds nothing of the owner's left to pass on.
        using HttpResponseMessage twice = await host.As(owner).PostAsync("/api/me/delegation/handover", null);
        Assert.Empty((await twice.Content.ReadFromJsonAsync<HandoverResult>(HitlJson.Output))!.HandedOver);
    }

    [Fact]
    public async Task Reassign_RefusedTargets_ChangeNothing()
    {
        string approver = Person("approver");
        string second = Person("second");
        string requester = Person("requester");
        string colleague = Person("colleague");
        string id = await this.StartReviewAsync([approver, second], requester: requester);
        ApprovalRecord pending = await host.PendingApprovalAsync(id);
        string url = $"/api/approvals/{pending.ApprovalId}/reassign";

        using HttpResponseMessage self = await host.As(approver).PostAsJsonAsync(url, new { to = approver });
        await AssertProblemAsync(self, HttpStatusCode.BadRequest, "to");
        using HttpResponseMessage toRequester = await host.As(approver).PostAsJsonAsync(url, new { to = requester });
        await AssertProblemAsync(toRequester, HttpStatusCode.BadRequest, "to");
        using HttpResponseMessage toAsked = await host.As(approver).PostAsJsonAsync(url, new { to = second });
        await AssertProblemAsync(toAsked, HttpStatusCode.Conflict, "to");
        using HttpResponseMessage notAsked = await host.As(colleague).PostAsJsonAsync(url, new { to = Person("someone") });
        Assert.Equal(HttpStatusCode.NotFound, notAsked.StatusCode);
        Assert.Null((await host.Ledger.GetAsync(pending.ApprovalId))!.Ticket.StandIns);

        using (HttpResponseMessage answered = await host.DecideAsync(pending.ApprovalId, "approve", approver))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        using HttpResponseMessage afterDecided = await host.As(second).PostAsJsonAsync(url, new { to = colleague });
        Assert.Equal(HttpStatusCode.Gone, afterDecided.StatusCode);
        Assert.Null((await host.Ledger.GetAsync(pending.ApprovalId))!.Ticket.StandIns);
    }

    [Fact]
    public async Task Reassign_ColleagueAnswersOnBehalf_OriginalRefused_RepeatChangesNothing()
    {
        string approver = Person("approver");
        string colleague = Person("colleague");
        string id = await this.StartReviewAsync([approver]);
        ApprovalRecord pending = await host.PendingApprovalAsync(id);
        string url = $"/api/approvals/{pending.ApprovalId}/reassign";

        using HttpResponseMessage response = await host.As(approver).PostAsJsonAsync(url, new { to = colleague, comment = "You know this customer" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ReassignedView view = (await response.Content.ReadFromJsonAsync<ReassignedView>(HitlJson.Output))!;
        Assert.Equal((colleague, approver, approver), (view.To, view.OnBehalfOf, view.By));
        using (HttpResponseMessage repeat = await host.As(approver).PostAsJsonAsync(url, new { to = colleague, comment = "You know this customer" }))
        {
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        }

        ApprovalRecord reassigned = (await host.Ledger.GetAsync(pending.ApprovalId))!;
        Assert.Single(reassigned.Ticket.StandIns!);
        Assert.Contains(reassigned.Audit, a => a.Kind == AuditKinds.Reassigned && a.Actor == approver && a.Detail!.Contains("You know this customer", StringComparison.Ordinal));

        using (HttpResponseMessage byOriginal = await host.DecideAsync(pending.ApprovalId, "approve", approver))
        {
            JsonElement gone = await ProblemAssert.ReadAsync(byOriginal, HttpStatusCode.Gone);
            Assert.Equal((colleague, "Reassigned"), (gone.GetProperty("handedTo").GetString(), gone.GetProperty("reason").GetString()));
            Assert.Contains($"passed this request to {colleague}", gone.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty((await host.Ledger.GetAsync(pending.ApprovalId))!.Decisions);

        using HttpResponseMessage decided = await host.DecideAsync(pending.ApprovalId, "approve", colleague);
        JsonElement receipt = JsonDocument.Parse(await decided.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Contains($"by {colleague} on behalf of {approver}", receipt.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single((await host.CompletedWorkflowAsync(id)).Decisions);
    }
}
