using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Tests.Workflows;

/// <summary>The generic workflow orchestrator: auto-approval, rejection routes, the shipped examples.</summary>
public sealed class WorkflowOrchestrationTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task InvoiceTriage_ConfidentExtraction_IsAutoApprovedWithoutAskingAnyone()
    {
        string id = await host.StartAsync(new
        {
            workflow = "invoice-triage",
            input = new
            {
                invoiceText = "Invoice INV-2041 from Contoso Ltd. Total: EUR 1,250.00. Payment due 2026-12-31.",
                reviewer = "ap@example.com",
                escalateTo = "controller@example.com",
            },
        });

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);

        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(StepStatus.AutoApproved, workflow.Steps.Single(s => s.Name == "review").Status);
        Assert.Empty(workflow.Decisions);
        Assert.Empty(await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false)));
        Assert.Equal("INV-2041", workflow.Output!.Value.GetProperty("invoiceNumber").GetString());
        Assert.Equal(1250.00m, workflow.Output.Value.GetProperty("total").GetDecimal());

        // The auto-approval is in the step's audit trail, where the SLA counts it.
        OrchestrationMetadata instance = (await host.Durable.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        StepRecord review = instance.ReadOutputAs<WorkflowResult>()!.Steps.Single(s => s.Name == "review");
        Assert.Equal(AuditKinds.AutoApproved, Assert.Single(review.Checkpoint!.Audit).Kind);

        // The typed status reads and writes as the strings clients already know.
        using JsonDocument raw = JsonDocument.Parse(await host.Http.GetStringAsync($"/api/workflows/{id}"));
        Assert.Contains(raw.RootElement.GetProperty("steps").EnumerateArray(), s => s.GetProperty("status").GetString() == "auto-approved");
    }

    [Fact]
    public async Task InvoiceTriage_UnsureExtraction_AsksAPerson_WhoCorrectsIt()
    {
        string id = await host.StartAsync(new
        {
            workflow = "invoice-triage",
            input = new { invoiceText = "Please pay the attached bill soon.", reviewer = "ap@example.com", escalateTo = "controller@example.com" },
        });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        Assert.True(approval.Ticket.Proposal.GetProperty("confidence").GetDouble() < 0.9);

        using HttpResponseMessage response = await host.DecideAsync(
            approval.ApprovalId, "approve", "ap@example.com", edited: new { invoiceNumber = "INV-9", vendor = "Fabrikam", total = 99.5, currency = "EUR", dueDate = "2027-01-15" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        DecisionReceipt receipt = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<DecisionReceipt>(response.Content, HitlJson.Output))!;
        FieldChange vendor = Assert.Single(receipt.Changes!.Fields!, f => f.Path == "vendor");
        Assert.Equal("Fabrikam", vendor.New!.Value.GetString());
        // The extraction found no vendor, so the field was absent, not null.
        Assert.Contains("vendor: (none) → \"Fabrikam\"", receipt.Changes.Summary, StringComparison.Ordinal);

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(StepStatus.ApprovedWithEdits, workflow.Steps.Single(s => s.Name == "review").Status);
        Assert.Equal("Fabrikam", workflow.Output!.Value.GetProperty("vendor").GetString());
        Assert.Contains(Assert.Single(workflow.Decisions).Changes!.Fields!, f => f.Path == "total");
        ApprovalView audited = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<ApprovalView>(host.Http, $"/api/approvals/{approval.ApprovalId}", HitlJson.Output))!;
        AuditEntry decided = Assert.Single(audited.Audit, a => a.Kind == AuditKinds.Decided);
        Assert.Equal($"Approved with edits ({receipt.Changes.Summary})", decided.Detail);
        Assert.Equal(receipt.Changes.Fields!.Select(f => f.Path), decided.Changes!.Fields!.Select(f => f.Path));
    }

    [Fact]
    public async Task InvoiceTriage_EditThatBreaksTheSchema_Gets400NamingTheFields_AndRecordsNothing()
    {
        string id = await host.StartAsync(new
        {
            workflow = "invoice-triage",
            input = new { invoiceText = "Please pay the attached bill soon.", reviewer = "ap@example.com", escalateTo = "controller@example.com" },
        });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        Assert.NotNull(approval.Ticket.ProposalSchema);

        using HttpResponseMessage response = await host.DecideAsync(
            approval.ApprovalId, "approve", "ap@example.com", edited: new { invoiceNumber = "INV-9", total = "a lot", currency = "XYZ", dueDate = "2027-01-15" });

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        string[] fields = [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!).Order(StringComparer.Ordinal)];
        Assert.Equal(["edited.currency", "edited.total", "edited.vendor"], fields);
        Assert.Empty((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
    }

    [Fact]
    public async Task Rejection_WithOnReject_GoesToTheNamedStep()
    {
        object definition = new
        {
            name = "redraft-flow",
            steps = new object[]
            {
                new { name = "draft", kind = "ai", prompt = "Write about owls" },
                new { name = "review", kind = "approval", source = "draft", title = "Owls", approvers = new[] { "ed@example.com" }, timeout = "00:05:00", onReject = "draft" },
            },
        };
        string id = await host.StartAsync(new { definition });

        ApprovalRecord first = await host.PendingApprovalAsync(id);
        (await host.DecideAsync(first.ApprovalId, "reject", "ed@example.com", comment: "Try again")).Dispose();
        ApprovalRecord second = await LocalHostFixture.WaitFor(
            async () => (await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id))).FirstOrDefault(a => a.ApprovalId != first.ApprovalId),
            "the second round's approval");
        (await host.DecideAsync(second.ApprovalId, "approve", "ed@example.com")).Dispose();

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(["draft", "review", "draft", "review"], workflow.Steps.Select(s => s.Name));
        Assert.Equal([Verdict.Reject, Verdict.Approve], workflow.Decisions.Select(d => d.Verdict));
    }

    [Fact]
    public async Task Checkpoint_NotifiesRequesterOfTheDecision()
    {
        string id = await host.StartAsync(new { workflow = "content-review", input = new { topic = "moss", editor = "ed@example.com", requester = "writer@example.com" } });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        await LocalHostFixture.WaitFor(
            () => Task.FromResult(host.Notifications.Sent.FirstOrDefault(n => n.ApprovalId == approval.ApprovalId && n.Kind == NotificationKind.Request)),
            "the request notification");

        (await host.DecideAsync(approval.ApprovalId, "approve", "ed@example.com", comment: "Lovely")).Dispose();
        await host.CompletedWorkflowAsync(id);

        NotificationMessage notice = Assert.Single(host.Notifications.Sent, n => n.ApprovalId == approval.ApprovalId && n.Kind == NotificationKind.DecisionNotice);
        Assert.Equal(["writer@example.com"], notice.To);
        Assert.Contains("Lovely", notice.Detail, StringComparison.Ordinal);
        ApprovalView view = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<ApprovalView>(host.Http, $"/api/approvals/{approval.ApprovalId}", HitlJson.Output))!;
        Assert.Equal([AuditKinds.Requested, AuditKinds.Notified, AuditKinds.Decided, AuditKinds.Notified], view.Audit.Select(a => a.Kind));
    }

    [Fact]
    public async Task ApprovalStep_WaitsInsideTheWorkflowInstance_WhoseStatusNamesWhomItWaitsFor()
    {
        string id = await host.StartAsync(new { workflow = "content-review", input = new { topic = "ferns", editor = "ed@example.com" } });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        // One instance per workflow: the decision is raised to the workflow itself, and operators read whom it waits
        // for from its custom status.
        Assert.Equal(id, approval.Ticket.CheckpointInstanceId);
        Assert.StartsWith($"{id}~review~", approval.Ticket.CheckpointId, StringComparison.Ordinal);
        WorkflowStatus status = await LocalHostFixture.WaitFor(
            async () => (await host.Durable.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<WorkflowStatus>() is { WaitingFor: not null } s ? s : null,
            "the workflow's status naming the approval");
        Assert.Equal("review", status.CurrentStep);
        Assert.Equal(approval.ApprovalId, status.WaitingFor!.ApprovalId);
        Assert.Equal(["ed@example.com"], status.WaitingFor.Approvers);
        Assert.Equal(approval.Ticket.DueAt, status.WaitingFor.DueAt);

        (await host.DecideAsync(approval.ApprovalId, "approve", "ed@example.com")).Dispose();
        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
        Assert.Null((await host.Durable.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadCustomStatusAs<WorkflowStatus>()?.WaitingFor);
    }

    [Fact]
    public async Task ContentReview_ChangesRequestedTwiceThenApproved_TheThirdDraftCarriesBothFeedbacks()
    {
        string id = await host.StartAsync(new { workflow = "content-review", input = new { topic = "lichen", editor = "ed@example.com" } });

        ApprovalRecord first = await host.PendingApprovalAsync(id);
        Assert.True(first.Ticket.AllowRequestChanges);
        (await host.DecideAsync(first.ApprovalId, "request-changes", "ed@example.com", comment: "add \"Lichen grows a millimetre a year.\"")).Dispose();
        ApprovalRecord second = await NextRoundAsync(id, first);
        Assert.Equal("Review the draft about lichen (revision 1)", second.Ticket.Title);
        Assert.EndsWith("Lichen grows a millimetre a year.", second.Ticket.Proposal.GetString(), StringComparison.Ordinal);

        (await host.DecideAsync(second.ApprovalId, "request-changes", "ed@example.com", comment: "Mention where it grows")).Dispose();
        ApprovalRecord third = await NextRoundAsync(id, second);
        string text = third.Ticket.Proposal.GetString()!;
        Assert.Contains("Lichen grows a millimetre a year.", text, StringComparison.Ordinal);
        Assert.EndsWith("Revised after feedback: Mention where it grows", text, StringComparison.Ordinal);
        (await host.DecideAsync(third.ApprovalId, "approve", "ed@example.com")).Dispose();

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal(text, workflow.Output!.Value.GetString());
        Assert.Equal(["draft", "review", "draft", "review", "draft", "review", "publish"], workflow.Steps.Select(s => s.Name));
        Assert.Equal([StepStatus.ChangesRequested, StepStatus.ChangesRequested, StepStatus.Approved], workflow.Steps.Where(s => s.Name == "review").Select(s => s.Status));
        Assert.Equal([Verdict.RequestChanges, Verdict.RequestChanges, Verdict.Approve], workflow.Decisions.Select(d => d.Verdict));
        Assert.Equal(3, workflow.Decisions.Select(d => d.ApprovalId).Distinct().Count());
        ApprovalView round1 = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<ApprovalView>(host.Http, $"/api/approvals/{first.ApprovalId}", HitlJson.Output))!;
        Assert.Contains(round1.Audit, a => a.Kind == AuditKinds.Decided && a.Detail == "Changes requested: add \"Lichen grows a millimetre a year.\"");
    }

    [Theory]
    [InlineData(null, WorkflowOutcome.Rejected)]
    [InlineData("fail", WorkflowOutcome.Failed)]
    [InlineData("approve", WorkflowOutcome.Completed)]
    public async Task ChangesRequested_PastMaxRevisions_EndsWithTheConfiguredOutcome(string? onMaxRevisions, WorkflowOutcome expected)
    {
        Dictionary<string, object?> review = new() { ["approvers"] = new[] { "ed@example.com" }, ["timeout"] = "00:05:00", ["maxRevisions"] = 3 };
        if (onMaxRevisions is not null)
        {
            review["onMaxRevisions"] = onMaxRevisions;
        }

        string id = await host.StartAsync(new { definition = WorkflowDefinitions.DraftAndReview("hedges", review) });
        ApprovalRecord round = await host.PendingApprovalAsync(id);
        for (int i = 1; i <= 4; i++)
        {
            using HttpResponseMessage response = await host.DecideAsync(round.ApprovalId, "request-changes", "ed@example.com", comment: $"Change {i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (i < 4)
            {
                round = await NextRoundAsync(id, round);
            }
        }

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(expected, workflow.Outcome);
        Assert.Equal(4, workflow.Steps.Count(s => s.Name == "draft"));
        Assert.Equal(4, workflow.Decisions.Count);
        if (expected == WorkflowOutcome.Completed)
        {
            Assert.EndsWith("Revised after feedback: Change 3", workflow.Output!.Value.GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("Changes were requested at step 'review' after 3 revisions, the most it allows", workflow.Reason);
        }
    }

    [Fact]
    public async Task Decision_OnTheProposalOfAnEarlierRound_Gets409WithWhereItStands_TheAuditRecordsTheHashDecidedOn()
    {
        string id = await host.StartAsync(new { workflow = "content-review", input = new { topic = "ivy", editor = "ed@example.com" } });
        ApprovalRecord first = await host.PendingApprovalAsync(id);
        ApprovalView shown = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<ApprovalView>(host.Http, $"/api/approvals/{first.ApprovalId}", HitlJson.Output))!;
        Assert.Equal(ProposalHash.Of(first.Ticket.Proposal), shown.ProposalHash);
        using (HttpResponseMessage sent = await host.Http.PostAsJsonAsync($"/api/approvals/{first.ApprovalId}/decision", new { decision = "request-changes", approver = "ed@example.com", comment = "add \"Ivy climbs.\"", proposalHash = shown.ProposalHash }))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        ApprovalRecord second = await NextRoundAsync(id, first);
        string secondHash = ProposalHash.Of(second.Ticket.Proposal);
        Assert.NotEqual(shown.ProposalHash, secondHash);

        // An approver who read round 1's proposal answers the approval of round 2.
        using HttpResponseMessage stale = await host.Http.PostAsJsonAsync($"/api/approvals/{second.ApprovalId}/decision", new { decision = "approve", approver = "ed@example.com", proposalHash = shown.ProposalHash });
        JsonElement problem = await ProblemAssert.ReadAsync(stale, HttpStatusCode.Conflict);
        Assert.Equal("proposalHash", problem.GetProperty("field").GetString());
        Assert.Equal(secondHash, problem.GetProperty("latestProposalHash").GetString());
        Assert.Equal(second.ApprovalId, problem.GetProperty("latest").GetProperty("approvalId").GetString());
        Assert.Contains($"Now approval {second.ApprovalId}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await host.Ledger.GetAsync(second.ApprovalId))!.Decisions);

        using HttpResponseMessage current = await host.Http.PostAsJsonAsync($"/api/approvals/{second.ApprovalId}/decision", new { decision = "approve", approver = "ed@example.com", proposalHash = secondHash });
        Assert.Equal(secondHash, (await current.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output))!.ProposalHash);
        await host.CompletedWorkflowAsync(id);
        ApprovalView audited = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<ApprovalView>(host.Http, $"/api/approvals/{second.ApprovalId}", HitlJson.Output))!;
        Assert.Equal(secondHash, Assert.Single(audited.Audit, a => a.Kind == AuditKinds.Decided).ProposalHash);
        Assert.Equal(shown.ProposalHash, Assert.Single((await host.Ledger.GetAsync(first.ApprovalId))!.Decisions).ProposalHash);
    }

    private async Task<ApprovalRecord> NextRoundAsync(string workflowId, ApprovalRecord previous) =>
        await LocalHostFixture.WaitFor(
            async () => (await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: workflowId))).FirstOrDefault(a => a.ApprovalId != previous.ApprovalId),
            "the next round's approval");
}
