using System.Text.Json;
using HitlFunctions.Ai;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace HitlFunctions.Monitors;

/// <summary>
/// A cloud-ops monitor: an eternal orchestration that checks a target every interval, opens an incident after enough
/// failed checks, has the AI summarise it and propose the remediation, asks the on-call chain through an approval
/// checkpoint, and remediates only when approved. History stays bounded: every
/// <see cref="MonitorDefinition.ChecksPerGeneration"/> cycles it continues as new with its state as input.
/// </summary>
public static class MonitorOrchestration
{
    /// <summary>Finished incidents kept in the state.</summary>
    public const int RecentIncidentsKept = 10;

    /// <summary>Checks kept in the state, newest last (the dashboard draws them).</summary>
    public const int RecentChecksKept = 20;

    /// <summary>
    /// The remediation as the approval shows it: a call of this tool, with the incident as its arguments and the model's
    /// summary as its reason, as an agent step's guarded tool call is shown. It stays the monitor's own step rather than
    /// an agent step's tool (see the README): there is one action, whose arguments the monitor fixes, not the model.
    /// </summary>
    public const string RemediationTool = "remediate";

    [Function(nameof(MonitorOrchestration))]
    public static async Task<MonitorState> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, MonitorState state)
    {
        // One wait for commands per generation, cancelled before ContinueAsNew; commands that arrive in between are
        // carried over (preserveUnprocessedEvents).
        using CancellationTokenSource generationScope = new();
        Task<MonitorCommand> command = context.WaitForExternalEvent<MonitorCommand>(DurableEvents.MonitorControl, generationScope.Token);
        for (int cycle = 0; cycle < state.Definition.ChecksPerGeneration; cycle++)
        {
            if (state.Mode == MonitorMode.Active)
            {
                state = await CheckAsync(context, state);
            }

            context.SetCustomStatus(state);
            Task? nextCheck = null;
            using CancellationTokenSource timerScope = new();
            if (state.Mode == MonitorMode.Active)
            {
                nextCheck = context.CreateTimer(context.CurrentUtcDateTime + state.Definition.CheckInterval, timerScope.Token);
            }

            Task winner = nextCheck is null ? command : await Task.WhenAny(command, nextCheck);
            timerScope.Cancel();
            if (winner != command)
            {
                continue;
            }

            MonitorCommand received = await command;
            if (received == MonitorCommand.Stop)
            {
                state = await StopAsync(context, state);
                context.SetCustomStatus(state);
                return state;
            }

            state = state with { Mode = received == MonitorCommand.Pause ? MonitorMode.Paused : MonitorMode.Active };
            command = context.WaitForExternalEvent<MonitorCommand>(DurableEvents.MonitorControl, generationScope.Token);
        }

        generationScope.Cancel();
        context.ContinueAsNew(state with { Generation = state.Generation + 1 }, preserveUnprocessedEvents: true);
        return state;
    }

    private static async Task<MonitorState> CheckAsync(TaskOrchestrationContext context, MonitorState state)
    {
        MonitorDefinition definition = state.Definition;
        CheckResult check = await context.CallActivityAsync<CheckResult>(nameof(MonitorActivities.CheckTarget), definition.Target);
        state = state with
        {
            LastCheck = check,
            RecentChecks = [.. (state.RecentChecks ?? []).TakeLast(RecentChecksKept - 1), check],
            ConsecutiveFailures = check.Healthy ? 0 : state.ConsecutiveFailures + 1,
            SuppressedUntilClear = state.SuppressedUntilClear && !check.Healthy,
        };

        if (state.OpenIncident is { Status: IncidentStatus.AwaitingApproval } incident)
        {
            // The decision is read from the ledger, not awaited as an event: events can be lost across ContinueAsNew
            // (durabletask-dotnet#387), the ledger cannot.
            CheckpointStanding standing = await context.CallActivityAsync<CheckpointStanding>(
                nameof(MonitorActivities.GetCheckpointStanding), new CheckpointStandingRequest(incident.CheckpointInstanceId, definition.OnCall.Count));
            return standing.Finished ? await ConcludeAsync(context, state, incident, standing) : state;
        }

        bool quiet = state.SuppressedUntilClear && (state.QuietUntil is null || context.CurrentUtcDateTime < state.QuietUntil);
        return state.ConsecutiveFailures >= definition.FailuresToIncident && !quiet ? await OpenIncidentAsync(context, state, check) : state;
    }

    private static async Task<MonitorState> OpenIncidentAsync(TaskOrchestrationContext context, MonitorState state, CheckResult check)
    {
        MonitorDefinition definition = state.Definition;
        int number = state.IncidentCount + 1;
        string incidentId = $"incident-{number}";
        string evidence = $"{state.ConsecutiveFailures} consecutive failed checks of {definition.Target.Url}; the last at {check.At:u}: {check.Detail}.";
        StepOutput summary = await context.CallActivityAsync<StepOutput>(
            nameof(AiActivities.RunAiStep),
            new AiStepRequest(
                state.MonitorId,
                incidentId,
                "You are an on-call site reliability engineer. Summarise the evidence in two sentences and propose one remediation.",
                $"Monitor: {definition.Name}\nEvidence: {evidence}\nAvailable remediation: call the remediation webhook {new Uri(definition.RemediationUrl).GetLeftPart(UriPartial.Path)}.",
                false),
            RetryPolicies.SideEffect);

        string proposal = WorkflowTemplate.Text(summary.Value);
        string checkpointId = $"{state.MonitorId}~{incidentId}";
        CheckpointRequest request = new(
            state.MonitorId,
            incidentId,
            $"{definition.Name}: approve the remediation for {incidentId}",
            JsonSerializer.SerializeToElement(new { incident = incidentId, summary = proposal, evidence, remediation = definition.RemediationUrl }),
            evidence,
            null,
            definition.OnCall,
            ApprovalPolicy.FirstResponse,
            false,
            definition.Reminders,
            ToolCall: new ProposedToolCall(RemediationTool, incidentId, proposal));
        await context.CallActivityAsync(nameof(MonitorActivities.StartCheckpoint), new StartCheckpointRequest(checkpointId, request));

        Incident incident = new(incidentId, context.CurrentUtcDateTime, evidence, proposal, checkpointId, IncidentStatus.AwaitingApproval);
        return state with { OpenIncident = incident, IncidentCount = number };
    }

    private static async Task<MonitorState> ConcludeAsync(TaskOrchestrationContext context, MonitorState state, Incident incident, CheckpointStanding standing)
    {
        ApprovalDecision? deciding = standing.Deciding?.Decisions is { Count: > 0 } decisions ? decisions[^1] : null;
        incident = incident with { DecidedBy = deciding?.Approver, DecidedAt = deciding?.DecidedAt ?? context.CurrentUtcDateTime, Comment = deciding?.Comment };
        if (standing.Outcome is ApprovalOutcome.Approved or ApprovalOutcome.ApprovedWithEdits)
        {
            WebhookRequest remediation = new(
                state.MonitorId,
                incident.Id,
                state.Definition.RemediationUrl,
                JsonSerializer.SerializeToElement(new { monitor = state.MonitorId, incident = incident.Id, incident.Evidence, incident.Proposal, approvedBy = incident.DecidedBy }),
                $"{state.MonitorId}:{incident.Id}");
            try
            {
                await context.CallActivityAsync<int>(nameof(WebhookActivities.CallWebhook), remediation, RetryPolicies.SideEffect);
            }
            catch (TaskFailedException)
            {
                return Close(state, incident with { Status = IncidentStatus.RemediationFailed }, suppress: true);
            }

            CheckResult after = await context.CallActivityAsync<CheckResult>(nameof(MonitorActivities.CheckTarget), state.Definition.Target);
            state = state with { LastCheck = after, RecentChecks = [.. (state.RecentChecks ?? []).TakeLast(RecentChecksKept - 1), after], ConsecutiveFailures = after.Healthy ? 0 : state.ConsecutiveFailures };
            return Close(state, incident with { Status = IncidentStatus.Remediated, AfterRemediation = after }, suppress: false);
        }

        IncidentStatus status = standing.Outcome switch
        {
            ApprovalOutcome.Rejected => IncidentStatus.Rejected,
            ApprovalOutcome.Cancelled => IncidentStatus.Cancelled,
            _ => IncidentStatus.TimedOut,
        };
        return Close(state, incident with { Status = status }, suppress: true);

        MonitorState Close(MonitorState current, Incident closed, bool suppress) => current with
        {
            OpenIncident = null,
            RecentIncidents = [closed, .. current.RecentIncidents.Take(RecentIncidentsKept - 1)],
            SuppressedUntilClear = suppress,
            QuietUntil = suppress ? context.CurrentUtcDateTime + current.Definition.QuietPeriod : null,
        };
    }

    private static async Task<MonitorState> StopAsync(TaskOrchestrationContext context, MonitorState state)
    {
        if (state.OpenIncident is { Status: IncidentStatus.AwaitingApproval } incident)
        {
            // Nobody should be asked to approve a remediation for a monitor that no longer runs.
            context.SendEvent(incident.CheckpointInstanceId, DurableEvents.Cancel, new CancelRequest("The monitor was stopped", null));
            state = state with { OpenIncident = null, RecentIncidents = [incident with { Status = IncidentStatus.Cancelled }, .. state.RecentIncidents.Take(RecentIncidentsKept - 1)] };
        }

        return state with { Mode = MonitorMode.Stopped };
    }
}
