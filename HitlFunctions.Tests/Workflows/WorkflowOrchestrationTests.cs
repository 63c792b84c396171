using System.Net;
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

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(StepStatus.ApprovedWithEdits, workflow.Steps.Single(s => s.Name == "review").Status);
        Assert.Equal("Fabrikam", workflow.Output!.Value.GetProperty("vendor").GetString());
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
}
