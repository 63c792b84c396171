using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Ai;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.TestDoubles;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Workflows;

/// <summary>
/// Agent steps on the real engine with the offline model (and a scripted one where the model must misbehave): free
/// tools run, guarded ones wait at the approval checkpoint with the call as the proposal, edits and refusals reach the
/// webhook and the model as they should.
/// </summary>
public sealed class AgentStepTests : IClassFixture<LocalHostFixture>
{
    private const string Order = """{"orderId":"A-1001","total":120.00,"currency":"EUR","status":"delivered, damaged"}""";
    private readonly LocalHostFixture host;

    public AgentStepTests(LocalHostFixture host)
    {
        this.host = host;
        host.Webhooks.Answer("orders", Order);
        host.Webhooks.Answer("refunds", """{"refundId":"R-77","status":"issued"}""");
    }

    [Fact]
    public async Task RefundAgent_FreeLookupThenGuardedRefund_AsksOneApprovalWhoseProposalIsTheCall()
    {
        string id = await this.StartRefundAsync("My order A-1001 arrived broken. Please refund 120.00 EUR.", approvalAbove: 50);

        ApprovalRecord approval = await this.host.PendingApprovalAsync(id);
        ProposedToolCall call = Assert.IsType<ProposedToolCall>(approval.Ticket.ToolCall);
        Assert.Equal("issue_refund", call.Tool);
        Assert.Contains("refund", call.Reason, StringComparison.Ordinal);
        Assert.Equal("A-1001", approval.Ticket.Proposal.GetProperty("orderId").GetString());
        Assert.Equal(120.00m, approval.Ticket.Proposal.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", approval.Ticket.Proposal.GetProperty("currency").GetString());
        Assert.Equal(["finance@example.com"], approval.Ticket.Approvers);
        Assert.NotNull(approval.Ticket.ProposalSchema);

        // The free tool ran once, before anyone was asked; the guarded one has not run.
        ReceivedWebhook lookup = Assert.Single(this.CallsOf("orders", id));
        Assert.Equal("""{"orderId":"A-1001"}""", lookup.Body);
        Assert.Empty(this.CallsOf("refunds", id));
        Assert.Single(await this.host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false)));

        // What the approver reads: the call, its reason, and the arguments as the proposal; the audit names the call.
        ApprovalView view = (await this.host.Http.GetFromJsonAsync<ApprovalView>($"/api/approvals/{approval.ApprovalId}", HitlJson.Output))!;
        Assert.Equal("issue_refund", view.ToolCall!.Tool);
        Assert.Equal(call.Reason, view.ToolCall.Reason);
        Assert.Contains(view.Audit, a => a.Kind == AuditKinds.Requested && a.Detail!.Contains("to allow issue_refund(", StringComparison.Ordinal));
        Assert.Equal(ProposalHash.Of(approval.Ticket.Proposal, call), view.ProposalHash);

        (await this.host.DecideAsync(approval.ApprovalId, "approve", "finance@example.com")).Dispose();
        WorkflowView workflow = await this.host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Single(this.CallsOf("refunds", id));
        Assert.Contains("R-77", workflow.Output!.Value.GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefundAgent_ApprovedWithEditedArguments_WebhookReceivesExactlyTheEditOnce()
    {
        string id = await this.StartRefundAsync("Order A-1001 arrived broken, please refund 120.00 EUR.", approvalAbove: 50);
        ApprovalRecord approval = await this.host.PendingApprovalAsync(id);
        object edited = new { orderId = "A-1001", amount = 80.00m, currency = "EUR", reason = "Partial refund for the damaged part" };

        // An edit that breaks the tool's schema is refused next to its field, and nothing is recorded.
        using (HttpResponseMessage wrong = await this.host.DecideAsync(approval.ApprovalId, "approve", "finance@example.com", edited: new { orderId = "A-1001", amount = "eighty", currency = "EUR", reason = "x" }))
        {
            JsonElement problem = await ProblemAssert.ReadAsync(wrong, HttpStatusCode.BadRequest);
            Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "edited.amount");
        }

        using HttpResponseMessage response = await this.host.DecideAsync(approval.ApprovalId, "approve", "finance@example.com", edited: edited, comment: "Only the lid is broken");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        DecisionReceipt receipt = (await response.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output))!;
        Assert.Equal("issue_refund", receipt.ToolCall!.Tool);
        Assert.Equal(80.00m, receipt.ToolCall.Arguments.GetProperty("amount").GetDecimal());
        Assert.Contains(receipt.Changes!.Fields!, f => f.Path == "amount");
        Assert.Contains(receipt.Changes.Fields!, f => f.Path == "reason");

        WorkflowView workflow = await this.host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        ReceivedWebhook refund = Assert.Single(this.CallsOf("refunds", id));
        Assert.Equal(JsonSerializer.Serialize(edited, HitlJson.Output), refund.Body);
        Assert.StartsWith($"{id}:support:1:2:", refund.IdempotencyKey, StringComparison.Ordinal);

        // The model was told the call ran with other arguments than it asked for, and the result keeps both.
        ToolCallRecord record = (await this.ResultAsync(id)).Steps.Single().Agent!.ToolCalls.Single(c => c.Tool == "issue_refund");
        Assert.Equal(120.00m, record.Arguments.GetProperty("amount").GetDecimal());
        Assert.Equal(80.00m, record.RanWith!.Value.GetProperty("amount").GetDecimal());
        Assert.Contains("approved it with changed arguments", record.Result, StringComparison.Ordinal);
        Assert.Equal(ApprovalOutcome.ApprovedWithEdits, record.Checkpoint!.Outcome);
    }

    [Fact]
    public async Task RefundAgent_Rejected_ModelIsToldWhyAndFinishesWithoutTheCall()
    {
        string id = await this.StartRefundAsync("Order A-1001 is late. I want a refund of 120.00 EUR.", approvalAbove: 50);
        ApprovalRecord approval = await this.host.PendingApprovalAsync(id);

        (await this.host.DecideAsync(approval.ApprovalId, "reject", "finance@example.com", comment: "The parcel is still on its way")).Dispose();

        WorkflowView workflow = await this.host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Empty(this.CallsOf("refunds", id));
        AgentRun run = (await this.ResultAsync(id)).Steps.Single().Agent!;
        ToolCallRecord refused = Assert.Single(run.ToolCalls, c => c.Tool == "issue_refund");
        Assert.Equal(ToolCallStatus.Rejected, refused.Status);
        Assert.Null(refused.RanWith);
        Assert.Null(refused.IdempotencyKey);
        Assert.Contains("finance@example.com refused it: The parcel is still on its way", refused.Result, StringComparison.Ordinal);

        // The refusal went to the model as the call's result, and its next turn was the final answer, with no call.
        AgentMessage told = Assert.Single(run.Conversation, m => m.Role == AgentRole.Tool && m.ToolCallId == refused.CallId);
        Assert.Equal(refused.Result, told.Text);
        AgentMessage last = run.Conversation[^1];
        Assert.Equal(AgentRole.Assistant, last.Role);
        Assert.Null(last.ToolCalls);
        Assert.Contains("refused", workflow.Output!.Value.GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefundAgent_CancelledWhileTheCallWaits_ClosesTheApprovalAndMakesNoCall()
    {
        string id = await this.StartRefundAsync("Order A-1001 arrived broken. Please refund 120.00 EUR.", approvalAbove: 50);
        ApprovalRecord approval = await this.host.PendingApprovalAsync(id);

        using (HttpResponseMessage cancel = await this.host.Http.PostAsJsonAsync($"/api/workflows/{id}/cancel", new { reason = "Customer withdrew" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        WorkflowView workflow = await this.host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Cancelled, workflow.Outcome);
        Assert.Equal(StepStatus.Cancelled, Assert.Single(workflow.Steps).Status);
        Assert.Equal(ApprovalState.Cancelled, (await this.host.Ledger.GetAsync(approval.ApprovalId))!.State);
        Assert.Empty(this.CallsOf("refunds", id));
        Assert.Equal(ToolCallStatus.Cancelled, (await this.ResultAsync(id)).Steps.Single().Agent!.ToolCalls.Single(c => c.Tool == "issue_refund").Status);
    }

    [Fact]
    public async Task RefundAgent_AmountAtOrBelowTheThreshold_RunsWithoutAskingAndAuditsWhy()
    {
        string id = await this.StartRefundAsync("Order A-1001: a cup was chipped, please refund 12.50 EUR.", approvalAbove: 50);

        WorkflowView workflow = await this.host.CompletedWorkflowAsync(id);

        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Empty(await this.host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false)));
        Assert.Equal(12.50m, JsonDocument.Parse(Assert.Single(this.CallsOf("refunds", id)).Body).RootElement.GetProperty("amount").GetDecimal());
        ToolCallRecord refund = (await this.ResultAsync(id)).Steps.Single().Agent!.ToolCalls.Single(c => c.Tool == "issue_refund");
        AuditEntry unasked = Assert.Single(refund.Checkpoint!.Audit);
        Assert.Equal(AuditKinds.AutoApproved, unasked.Kind);
        Assert.Equal("amount 12.50 is at or below 50; nobody was asked", unasked.Detail);
    }

    [Fact]
    public async Task Agent_ModelSendsForbiddenCharactersAndUnknownTools_ArgumentsAreCleanedAndOnlyKnownToolsRun()
    {
        string marker = Guid.NewGuid().ToString("N");
        this.host.Model.ScriptToolCalls(
            marker,
            "Noting it\uFFFE down",
            ("call\u0000-1", "note", """{"text":"pay\uFFFE\u202Eattention\u0007 now","urgent":true}"""),
            ("call-2", "delete_everything", "{}"),
            ("call-3", "note", """{"urgent":"very"}"""));
        string path = $"notes-{marker}";
        string id = await this.host.StartAsync(new { definition = Definition(marker, this.host.Webhooks.BaseUrl + "/" + path) });

        WorkflowView workflow = await this.host.CompletedWorkflowAsync(id);

        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        ReceivedWebhook note = Assert.Single(this.host.Webhooks.For(path));
        Assert.Equal("""{"text":"payattention now","urgent":true}""", note.Body);
        Assert.Equal($"{id}:agent:1:1:call-1", note.IdempotencyKey);
        AgentRun run = (await this.ResultAsync(id)).Steps.Single().Agent!;
        Assert.Equal([ToolCallStatus.Completed, ToolCallStatus.UnknownTool, ToolCallStatus.InvalidArguments], run.ToolCalls.Select(c => c.Status));
        Assert.Equal("Noting it down", run.Conversation.First(m => m.Role == AgentRole.Assistant).Text);
        Assert.Contains("There is no tool named 'delete_everything'", run.ToolCalls[1].Result, StringComparison.Ordinal);
        Assert.Contains("text: Required.", run.ToolCalls[2].Result, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Conversation, m => m.Text.Contains('\uFFFE', StringComparison.Ordinal) || (m.ToolCalls ?? []).Any(c => c.Arguments.GetRawText().Contains("\\uFFFE", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Agent_TurnLimitReached_StepEndsLimitReachedAndTheWorkflowFailsWithTheReason()
    {
        string marker = Guid.NewGuid().ToString("N");
        string path = $"notes-{marker}";
        object definition = Definition(marker, this.host.Webhooks.BaseUrl + "/" + path, maxTurns: 1);
        string id = await this.host.StartAsync(new { definition, input = new { } });

        WorkflowView workflow = await this.host.CompletedWorkflowAsync(id);

        Assert.Equal(WorkflowOutcome.Failed, workflow.Outcome);
        Assert.Equal("Agent step 'agent' stopped: no final answer in 1 model turns", workflow.Reason);
        Assert.Equal(StepStatus.LimitReached, Assert.Single(workflow.Steps).Status);
        Assert.Single(this.host.Webhooks.For(path));
    }

    [Fact]
    public async Task Start_BadAgentDefinition_Is400NamingEachField_AndStartsNothing()
    {
        object definition = new
        {
            name = "bad-agent",
            steps = new object[]
            {
                new
                {
                    name = "agent",
                    kind = "agent",
                    prompt = "Help",
                    maxTurns = 21,
                    maxToolCalls = 0,
                    tools = new object[]
                    {
                        new { name = "look-up", description = "d", url = "http://127.0.0.1:1/x", parameters = new { type = "object", properties = new { q = new { type = "string" } } } },
                        new { name = "nested", description = "d", url = "ftp://x", parameters = new { type = "object", properties = new { lines = new { type = "array" } } } },
                        new { name = "pay", description = "d", url = "http://127.0.0.1:1/pay", parameters = new { type = "object", properties = new { to = new { type = "string" } } }, requiresApproval = true },
                        new { name = "pay", description = "d", url = "http://127.0.0.1:1/pay", parameters = new { type = "object", properties = new { to = new { type = "string" } } }, requiresApproval = true, approval = new { approvers = new[] { "f@example.com" }, timeout = "00:05:00", onlyAbove = new { argument = "amount", value = "10" } } },
                    },
                },
            },
        };

        using HttpResponseMessage response = await this.host.Http.PostAsJsonAsync("/api/workflows", new { definition, id = LocalHostFixture.NewId("bad-agent") });

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        string[] fields = [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!).Distinct().Order(StringComparer.Ordinal)];
        Assert.Equal(
            [
                "definition.steps[0](agent).maxToolCalls",
                "definition.steps[0](agent).maxTurns",
                "definition.steps[0](agent).tools[0].name",
                "definition.steps[0](agent).tools[1].parameters",
                "definition.steps[0](agent).tools[1].url",
                "definition.steps[0](agent).tools[2].approval",
                "definition.steps[0](agent).tools[3].approval.onlyAbove.argument",
                "definition.steps[0](agent).tools[3].name",
            ],
            fields);
    }

    [Fact]
    public async Task Start_ToolUrlOutsideTheAllowlist_Is400ForThatTool()
    {
        object definition = Definition("x", "https://refunds.example.net/pay");

        using HttpResponseMessage response = await this.host.Http.PostAsJsonAsync("/api/workflows", new { definition });

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        JsonElement error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("steps[0](agent).tools[0].url", error.GetProperty("field").GetString());
        Assert.Contains("not allowed", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>An agent with one free tool <c>note</c> (text required, urgent optional) whose request carries <paramref name="marker"/>.</summary>
    private static object Definition(string marker, string url, int? maxTurns = null) => new
    {
        name = "note-agent",
        steps = new object[]
        {
            new
            {
                name = "agent",
                kind = "agent",
                prompt = $"Please note this down: {marker}",
                maxTurns,
                tools = new object[]
                {
                    new
                    {
                        name = "note",
                        description = "Writes a note.",
                        url,
                        parameters = new { type = "object", properties = new { text = new { type = "string" }, urgent = new { type = "boolean" } }, required = new[] { "text" } },
                    },
                },
            },
        },
    };

    private Task<string> StartRefundAsync(string message, decimal approvalAbove) => this.host.StartAsync(new
    {
        workflow = "refund-agent",
        input = new { message, finance = "finance@example.com", financeLead = "lead@example.com", approvalAbove },
    });

    private ReceivedWebhook[] CallsOf(string path, string workflowId) =>
        [.. this.host.Webhooks.For(path).Where(c => c.IdempotencyKey.StartsWith(workflowId + ":", StringComparison.Ordinal))];

    private async Task<WorkflowResult> ResultAsync(string id) =>
        (await this.host.Durable.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadOutputAs<WorkflowResult>()!;
}
