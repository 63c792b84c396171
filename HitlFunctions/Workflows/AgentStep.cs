using System.Globalization;
using System.Text.Json;
using HitlFunctions.Ai;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using Microsoft.DurableTask;

namespace HitlFunctions.Workflows;

/// <summary>
/// Runs an agent step in the workflow's orchestration. The orchestration drives the tool-calling loop itself rather
/// than leaving it to <see cref="Microsoft.Extensions.AI.FunctionInvokingChatClient"/> (which would run an approved
/// call inside the next model turn): each model turn is one activity, each tool call another with its own idempotency
/// key, and a call of a tool that requires approval first waits at the approval checkpoint, so after a crash the
/// history resumes between them and no call is made twice. The conversation is in the history and bounded
/// (<see cref="AgentLimits"/>).
/// </summary>
public static class AgentStep
{
    public static async Task<AgentStepResult> RunAsync(
        TaskOrchestrationContext context, WorkflowStart start, WorkflowStep step, WorkflowTemplate.Scope scope, int executed, Task<CancelRequest> cancelled, Action<CheckpointStatus?> reportWaiting)
    {
        int maxTurns = step.MaxTurns ?? AgentLimits.DefaultMaxTurns;
        int maxCalls = step.MaxToolCalls ?? AgentLimits.DefaultMaxToolCalls;
        IReadOnlyList<AgentTool> tools = step.Tools!;
        AgentToolDeclaration[] declarations = [.. tools.Select(t => new AgentToolDeclaration(t.Name, t.Description, t.Parameters, t.RequiresApproval))];
        List<AgentMessage> conversation = [];
        if (step.System is { } system)
        {
            conversation.Add(new AgentMessage(AgentRole.System, AgentLimits.Cut(WorkflowTemplate.Render(system, scope))));
        }

        conversation.Add(new AgentMessage(AgentRole.User, AgentLimits.Cut(WorkflowTemplate.Render(step.Prompt!, scope))));
        List<ToolCallRecord> calls = [];
        AgentStepResult End(StepStatus status, string? answer, string? reason, int turns) => new(status, answer, new AgentRun(turns, [.. conversation], [.. calls]), reason);

        for (int turn = 1; turn <= maxTurns; turn++)
        {
            if (cancelled.IsCompleted)
            {
                return End(StepStatus.Cancelled, null, $"Cancelled: {cancelled.Result.Reason}", turn - 1);
            }

            if (Size(conversation) > AgentLimits.MaxConversationCharacters)
            {
                return End(StepStatus.LimitReached, null, $"Agent step '{step.Name}' stopped: its conversation passed {AgentLimits.MaxConversationCharacters} characters", turn - 1);
            }

            AgentTurn answer = await context.CallActivityAsync<AgentTurn>(
                nameof(AgentActivities.RunAgentTurn), new AgentTurnRequest(start.WorkflowId, step.Name, turn, declarations, [.. conversation]), RetryPolicies.SideEffect);
            conversation.Add(new AgentMessage(AgentRole.Assistant, answer.Text, answer.ToolCalls.Count == 0 ? null : answer.ToolCalls));
            if (answer.ToolCalls.Count == 0)
            {
                return End(StepStatus.Completed, answer.Text, null, turn);
            }

            foreach (AgentToolCall call in answer.ToolCalls)
            {
                if (cancelled.IsCompleted)
                {
                    return End(StepStatus.Cancelled, null, $"Cancelled: {cancelled.Result.Reason}", turn);
                }

                if (calls.Count >= maxCalls)
                {
                    return End(StepStatus.LimitReached, null, $"Agent step '{step.Name}' stopped: the model asked for more than {maxCalls} tool calls", turn);
                }

                ToolCallRecord record = await CallAsync(context, start, step, scope, $"{executed}:{calls.Count + 1}", call, answer.Text, cancelled, reportWaiting);
                calls.Add(record);
                if (record.Status == ToolCallStatus.Cancelled)
                {
                    return End(StepStatus.Cancelled, null, $"Cancelled at step '{step.Name}' while {call.Tool} waited for approval", turn);
                }

                conversation.Add(new AgentMessage(AgentRole.Tool, record.Result, ToolCallId: call.CallId));
            }
        }

        return End(StepStatus.LimitReached, null, $"Agent step '{step.Name}' stopped: no final answer in {maxTurns} model turns", maxTurns);
    }

    /// <summary>The characters of a conversation that count against <see cref="AgentLimits.MaxConversationCharacters"/>.</summary>
    public static int Size(IEnumerable<AgentMessage> conversation) =>
        conversation.Sum(m => m.Text.Length + (m.ToolCalls?.Sum(c => c.Tool.Length + c.Arguments.GetRawText().Length) ?? 0));

    private static async Task<ToolCallRecord> CallAsync(
        TaskOrchestrationContext context, WorkflowStart start, WorkflowStep step, WorkflowTemplate.Scope scope, string number, AgentToolCall call, string reason, Task<CancelRequest> cancelled, Action<CheckpointStatus?> reportWaiting)
    {
        ToolCallRecord NotMade(ToolCallStatus status, string result, CheckpointResult? checkpoint = null) => new(call.CallId, call.Tool, call.Arguments, null, status, result, checkpoint, null);

        AgentTool? tool = step.Tools!.FirstOrDefault(t => t.Name == call.Tool);
        if (tool is null)
        {
            return NotMade(ToolCallStatus.UnknownTool, $"There is no tool named '{call.Tool}'; nothing was called. The tools are: {string.Join(", ", step.Tools!.Select(t => t.Name))}.");
        }

        if (call.Arguments.ValueKind != JsonValueKind.Object || call.Arguments.GetRawText().Length > AgentLimits.MaxMessageCharacters)
        {
            return NotMade(ToolCallStatus.InvalidArguments, $"The arguments must be a JSON object of at most {AgentLimits.MaxMessageCharacters} characters; nothing was called.");
        }

        if (ProposalSchemas.Validate(tool.Parameters, call.Arguments) is { Count: > 0 } errors)
        {
            return NotMade(ToolCallStatus.InvalidArguments, $"The arguments do not fit the schema of {tool.Name}; nothing was called. {string.Join(" ", errors.Select(e => $"{(e.Field.Length == 0 ? "arguments" : e.Field)}: {e.Message}"))}");
        }

        JsonElement arguments = call.Arguments;
        CheckpointResult? checkpoint = null;
        string approved = string.Empty;
        if (tool.RequiresApproval)
        {
            ToolApproval approval = ApprovalOf(step, tool);
            if (UnderThreshold(approval.OnlyAbove, arguments, scope) is { } below)
            {
                DateTimeOffset at = context.CurrentUtcDateTime;
                checkpoint = new CheckpointResult(ApprovalOutcome.Approved, arguments, [], at, null, 0, [], [new AuditEntry(at, AuditKinds.AutoApproved, null, below, 0)]);
            }
            else
            {
                checkpoint = await ApprovalCheckpoint.RunAsync(
                    context, CheckpointRequestOf(start, step, tool, approval, call, reason, scope), $"{start.WorkflowId}~{step.Name}~{number.Replace(':', '~')}", cancelled, reportWaiting);
                string by = string.Join(", ", checkpoint.DecidedBy);
                string why = checkpoint.Comment is { } comment ? $": {comment}" : " without saying why";
                switch (checkpoint.Outcome)
                {
                    case ApprovalOutcome.Rejected or ApprovalOutcome.ChangesRequested:
                        return NotMade(ToolCallStatus.Rejected, $"The call was not made: {by} refused it{why}. Do not ask for it again; go on without it.", checkpoint);
                    case ApprovalOutcome.TimedOut:
                        return NotMade(ToolCallStatus.TimedOut, "The call was not made: nobody approved it before the deadline. Go on without it.", checkpoint);
                    case ApprovalOutcome.Cancelled:
                        return NotMade(ToolCallStatus.Cancelled, "The call was not made: the workflow was cancelled.", checkpoint);
                    case ApprovalOutcome.ApprovedWithEdits:
                        arguments = checkpoint.FinalProposal;
                        approved = $"{by} approved it with changed arguments ({ProposalDiff.Of(call.Arguments, arguments)?.Summary}), so it ran with {arguments.GetRawText()}. ";
                        break;
                    default:
                        approved = $"{by} approved it. ";
                        break;
                }
            }
        }

        // The key names this call of this run of the step: a retry, or a replay after a crash, sends the same one.
        string key = $"{start.WorkflowId}:{step.Name}:{number}:{call.CallId}";
        WebhookRequest webhook = new(start.WorkflowId, step.Name, WorkflowTemplate.Render(tool.Url, scope).Trim(), arguments, key);
        try
        {
            ToolResponse response = await context.CallActivityAsync<ToolResponse>(nameof(WebhookActivities.CallTool), webhook, RetryPolicies.Action(tool.MaxAttempts));
            string answer = response.Body.Length == 0 ? $"(status {response.StatusCode}, no content)" : response.Body;
            return new ToolCallRecord(call.CallId, call.Tool, call.Arguments, arguments, ToolCallStatus.Completed, AgentLimits.Cut(approved + answer), checkpoint, key);
        }
        catch (TaskFailedException failure)
        {
            return new ToolCallRecord(call.CallId, call.Tool, call.Arguments, arguments, ToolCallStatus.Failed, AgentLimits.Cut($"{approved}The call failed: {failure.FailureDetails.ErrorMessage}."), checkpoint, key);
        }
    }

    /// <summary>The tool's approval, or one made of the agent step's own approval fields.</summary>
    public static ToolApproval ApprovalOf(WorkflowStep step, AgentTool tool) => tool.Approval ?? new ToolApproval
    {
        Approvers = step.Approvers,
        Timeout = step.Timeout,
        Escalation = step.Escalation,
        Policy = step.Policy,
        Reminders = step.Reminders,
        Requester = step.Requester,
        AllowSelfApproval = step.AllowSelfApproval,
    };

    /// <summary>Why nobody needs to be asked (the argument is at or below the threshold), or null when someone does.</summary>
    private static string? UnderThreshold(ApprovalThreshold? threshold, JsonElement arguments, WorkflowTemplate.Scope scope)
    {
        if (threshold is null
            || !arguments.TryGetProperty(threshold.Argument, out JsonElement value) || value.ValueKind != JsonValueKind.Number
            || !decimal.TryParse(WorkflowTemplate.Render(threshold.Value, scope).Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out decimal limit))
        {
            return null;
        }

        decimal given = value.GetDecimal();
        return given <= limit ? string.Create(CultureInfo.InvariantCulture, $"{threshold.Argument} {given} is at or below {limit}; nobody was asked") : null;
    }

    private static CheckpointRequest CheckpointRequestOf(
        WorkflowStart start, WorkflowStep step, AgentTool tool, ToolApproval approval, AgentToolCall call, string reason, WorkflowTemplate.Scope scope) => new(
        start.WorkflowId,
        step.Name,
        approval.Title is { } title ? WorkflowTemplate.Render(title, scope) : $"Allow {tool.Name} ({step.Name})",
        call.Arguments,
        $"The agent asks to call {tool.Name} ({tool.Description}). Its reason: {(reason.Length == 0 ? "(none given)" : reason)}\n" +
            "Approve to run the call with these arguments, change them and approve, or reject and say why: the agent is told and goes on.",
        approval.Requester is null ? null : WorkflowTemplate.Render(approval.Requester, scope),
        WorkflowOrchestration.Levels(approval.Approvers!, approval.Timeout!.Value, approval.Escalation, scope),
        approval.Policy ?? ApprovalPolicy.FirstResponse,
        approval.AllowEdits,
        approval.Reminders,
        start.StartedBy,
        approval.AllowSelfApproval,
        ProposalSchema: tool.Parameters,
        Definition: start.Definition.Name,
        ToolCall: new ProposedToolCall(tool.Name, call.CallId, reason.Length == 0 ? null : reason));
}
