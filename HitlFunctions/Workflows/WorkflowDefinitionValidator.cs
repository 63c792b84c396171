using System.Text.RegularExpressions;
using HitlFunctions.Ai;
using HitlFunctions.Approvals;
using HitlFunctions.Common;

namespace HitlFunctions.Workflows;

/// <summary>Checks a workflow definition before anything runs it; every error names the step and the field.</summary>
public static partial class WorkflowDefinitionValidator
{
    /// <summary>The most revisions an approval step may allow; each is a model call and a new approval.</summary>
    public const int MaxRevisionsLimit = 20;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex WorkflowName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex StepName();

    /// <summary>The longest description of an agent's tool.</summary>
    public const int MaxToolDescriptionLength = 1000;

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(365);

    public static IReadOnlyList<FieldError> Validate(WorkflowDefinition definition)
    {
        List<FieldError> errors = [];
        if (string.IsNullOrWhiteSpace(definition.Name) || !WorkflowName().IsMatch(definition.Name))
        {
            errors.Add(new("name", "Use 1 to 64 lower-case letters, digits and dashes."));
        }

        for (int i = 0; i < (definition.Inputs?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(definition.Inputs![i]))
            {
                errors.Add(new($"inputs[{i}]", "Name each required input field; null and blank names are not fields."));
            }
        }

        if (definition.Steps is not { Count: > 0 })
        {
            errors.Add(new("steps", "A workflow needs at least one step."));
            return errors;
        }

        if (definition.Steps.Any(s => s is null))
        {
            errors.Add(new("steps", "A step is null; give each step as an object."));
            return errors;
        }

        HashSet<string> earlier = new(StringComparer.Ordinal);
        Dictionary<string, StepKind> allSteps = definition.Steps
            .Where(s => s.Name is not null)
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Kind, StringComparer.Ordinal);
        for (int i = 0; i < definition.Steps.Count; i++)
        {
            WorkflowStep step = definition.Steps[i];
            string at = $"steps[{i}]({step.Name})";
            if (string.IsNullOrWhiteSpace(step.Name) || !StepName().IsMatch(step.Name))
            {
                errors.Add(new($"steps[{i}].name", "Use a letter, then up to 63 letters, digits, dashes or underscores."));
            }
            else if (earlier.Contains(step.Name))
            {
                errors.Add(new($"{at}.name", $"Another step is already named '{step.Name}'."));
            }

            ValidateStep(step, at, earlier, allSteps, errors);
            earlier.Add(step.Name);
        }

        if (definition.Output is { } output && !allSteps.ContainsKey(output))
        {
            errors.Add(new("output", $"No step is named '{output}'."));
        }

        return errors;
    }

    /// <summary>
    /// Checks where a definition uses <c>{{settings.key}}</c>: configured values stay on the server, so a public setting
    /// may be used anywhere, and any other only in the url of a definition the deployer shipped (it is sent to an
    /// allowed destination, never shown to people or a model).
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateSettings(WorkflowDefinition definition, bool shipped, IReadOnlyCollection<string> publicSettings)
    {
        List<FieldError> errors = [];
        for (int i = 0; i < definition.Steps.Count; i++)
        {
            WorkflowStep step = definition.Steps[i];
            IEnumerable<(string Field, string? Template)> fields =
            [
                ("prompt", step.Prompt), ("system", step.System), ("title", step.Title), ("context", step.Context), ("requester", step.Requester),
                .. (step.Approvers ?? []).Select(a => ("approvers", (string?)a)),
                .. (step.Escalation ?? []).SelectMany((level, n) => (level?.Approvers ?? []).Select(a => ($"escalation[{n}].approvers", (string?)a))),
                .. (step.Tools ?? []).SelectMany(ToolTemplates),
            ];
            foreach ((string field, string? template) in fields.Append(("url", step.Url)))
            {
                bool url = field == "url" || field.EndsWith(".url", StringComparison.Ordinal);
                foreach (string key in WorkflowTemplate.SettingReferences(template ?? string.Empty).Where(k => !publicSettings.Contains(k) && !(shipped && url)))
                {
                    errors.Add(new($"steps[{i}]({step.Name}).{field}", shipped
                        ? $"'settings.{key}' is not a public setting ({WorkflowOptions.SectionName}:PublicSettings); other settings may be used only in url."
                        : $"'settings.{key}' is not a public setting ({WorkflowOptions.SectionName}:PublicSettings); a definition given in a request may use only public settings."));
                }
            }
        }

        return errors;
    }

    /// <summary>The templates of an agent's tool, each with its field: the url, and its approval's people and threshold.</summary>
    public static IEnumerable<(string Field, string? Template)> ToolTemplates(AgentTool tool, int index)
    {
        string at = $"tools[{index}]";
        ToolApproval? approval = tool.Approval;
        return
        [
            ($"{at}.url", tool.Url),
            ($"{at}.approval.title", approval?.Title),
            ($"{at}.approval.requester", approval?.Requester),
            ($"{at}.approval.onlyAbove.value", approval?.OnlyAbove?.Value),
            .. (approval?.Approvers ?? []).Select(a => ($"{at}.approval.approvers", (string?)a)),
            .. (approval?.Escalation ?? []).SelectMany((level, n) => (level?.Approvers ?? []).Select(a => ($"{at}.approval.escalation[{n}].approvers", (string?)a))),
        ];
    }

    /// <summary>Checks a valid definition against the flood limits; <paramref name="prefix"/> goes before each field.</summary>
    public static IReadOnlyList<FieldError> ValidateLimits(WorkflowDefinition definition, FloodLimitOptions limits, string prefix)
    {
        List<FieldError> errors = [];
        int notifications = 0;
        for (int i = 0; i < definition.Steps.Count; i++)
        {
            WorkflowStep step = definition.Steps[i];
            if (step.Kind == StepKind.Agent)
            {
                // Every call the step may make could ask the chain of its most talkative tool.
                int perCall = 0;
                for (int t = 0; t < step.Tools!.Count; t++)
                {
                    if (step.Tools[t] is { RequiresApproval: true } guarded && AgentStep.ApprovalOf(step, guarded) is { Approvers: { } approvers, Timeout: { } timeout } approval)
                    {
                        List<(string, int, TimeSpan)> chain = [(string.Empty, approvers.Count, timeout)];
                        chain.AddRange((approval.Escalation ?? []).Select((level, n) => ($"escalation[{n}].", level.Approvers.Count, level.Timeout)));
                        string field = guarded.Approval is null ? $"{prefix}steps[{i}]({step.Name})" : $"{prefix}steps[{i}]({step.Name}).tools[{t}].approval";
                        perCall = Math.Max(perCall, FloodLimits.Check(field, chain, "escalation", approval.Reminders, limits, errors));
                    }
                }

                notifications += perCall * (step.MaxToolCalls ?? AgentLimits.DefaultMaxToolCalls);
                continue;
            }

            if (step.Kind != StepKind.Approval)
            {
                continue;
            }

            List<(string, int, TimeSpan)> levels = [(string.Empty, step.Approvers?.Count ?? 0, step.Timeout ?? TimeSpan.Zero)];
            levels.AddRange((step.Escalation ?? []).Select((level, n) => ($"escalation[{n}].", level.Approvers.Count, level.Timeout)));
            notifications += FloodLimits.Check($"{prefix}steps[{i}]({step.Name})", levels, "escalation", step.Reminders, limits, errors);
        }

        if (notifications > limits.MaxNotificationsPerWorkflow)
        {
            errors.Add(new($"{prefix}steps", $"A run through this workflow could send {notifications} notifications; at most {FloodLimitOptions.SectionName}:MaxNotificationsPerWorkflow ({limits.MaxNotificationsPerWorkflow})."));
        }

        return errors;
    }

    private static void ValidateStep(WorkflowStep step, string at, HashSet<string> earlier, Dictionary<string, StepKind> allSteps, List<FieldError> errors)
    {
        void Require(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors.Add(new($"{at}.{field}", message));
            }
        }

        void NotFor(object? value, string field)
        {
            if (value is not null)
            {
                errors.Add(new($"{at}.{field}", $"'{field}' does not apply to {step.Kind.ToString().ToLowerInvariant()} steps."));
            }
        }

        void CheckTemplate(string? template, string field)
        {
            if (template is null)
            {
                return;
            }

            foreach (string reference in WorkflowTemplate.StepReferences(template).Where(r => !earlier.Contains(r)))
            {
                errors.Add(new($"{at}.{field}", $"The template refers to step '{reference}', which does not come before this step."));
            }

            foreach (string root in WorkflowTemplate.UnknownRoots(template))
            {
                errors.Add(new($"{at}.{field}", $"Unknown template root '{root}'; use input, steps, settings or review."));
            }
        }

        void CheckSource()
        {
            Require(!string.IsNullOrWhiteSpace(step.Source), "source", "Name the earlier step whose output this step uses.");
            if (!string.IsNullOrWhiteSpace(step.Source))
            {
                Require(earlier.Contains(step.Source), "source", $"'{step.Source}' is not the name of an earlier step.");
            }
        }

        // Who is asked and how, for an approval step and for the calls of an agent's tools; prefix goes before each field.
        void CheckChain(string prefix, IReadOnlyList<string>? approvers, TimeSpan? timeout, IReadOnlyList<EscalationLevel>? escalations, ApprovalPolicy? policy, ReminderPolicy? reminders)
        {
            Require(approvers is { Count: > 0 } && approvers.All(a => !string.IsNullOrWhiteSpace(a)), $"{prefix}approvers", "List at least one approver.");
            Require(timeout is { } t && t > TimeSpan.Zero && t <= MaxTimeout, $"{prefix}timeout", "Give a timeout greater than zero and at most 365 days, as d.hh:mm:ss.");
            foreach (string approver in approvers ?? [])
            {
                CheckTemplate(approver, $"{prefix}approvers");
            }

            for (int level = 0; level < (escalations?.Count ?? 0); level++)
            {
                EscalationLevel? escalation = escalations![level];
                string field = $"{prefix}escalation[{level}]";
                if (escalation is null)
                {
                    errors.Add(new($"{at}.{field}", "A level is null; give each level as an object with approvers and a timeout."));
                    continue;
                }

                Require(escalation.Approvers is { Count: > 0 } && escalation.Approvers.All(a => !string.IsNullOrWhiteSpace(a)), $"{field}.approvers", "List at least one approver for this level, none null or blank.");
                Require(escalation.Timeout > TimeSpan.Zero && escalation.Timeout <= MaxTimeout, $"{field}.timeout", "Give a timeout greater than zero and at most 365 days.");
                foreach (string approver in escalation.Approvers ?? [])
                {
                    CheckTemplate(approver, $"{field}.approvers");
                }
            }

            Require(policy is null || Enum.IsDefined(policy.Kind), $"{prefix}policy.kind", "Use firstResponse, allMustApprove or quorum.");
            if (policy is { Kind: ApprovalPolicyKind.Quorum } quorum)
            {
                int smallestLevel = new[] { approvers?.Count ?? 0 }.Concat(escalations?.Select(e => e?.Approvers?.Count ?? 0) ?? []).Min();
                Require(quorum.RequiredApprovals is { } n && n >= 1 && n <= smallestLevel, $"{prefix}policy.requiredApprovals", "A quorum needs requiredApprovals between 1 and the number of approvers at every level.");
            }

            if (reminders is not null)
            {
                Require(reminders.Interval > TimeSpan.Zero, $"{prefix}reminders.interval", "Give a reminder interval greater than zero.");
                Require(reminders.MaxCount is >= 0 and <= 100, $"{prefix}reminders.maxCount", "Give a reminder count from 0 to 100.");
            }
        }

        void CheckTools()
        {
            Require(step.Tools is { Count: > 0 and <= AgentLimits.MaxTools }, "tools", $"An agent step needs 1 to {AgentLimits.MaxTools} tools.");
            HashSet<string> names = new(StringComparer.Ordinal);
            bool stepApproves = step.Approvers is not null || step.Timeout is not null;
            for (int i = 0; i < (step.Tools?.Count ?? 0); i++)
            {
                AgentTool? tool = step.Tools![i];
                string field = $"tools[{i}]";
                if (tool is null)
                {
                    errors.Add(new($"{at}.{field}", "A tool is null; give each tool as an object with a name, a description, a url and parameters."));
                    continue;
                }

                if (string.IsNullOrWhiteSpace(tool.Name) || !StepName().IsMatch(tool.Name) || tool.Name.Contains('-', StringComparison.Ordinal))
                {
                    errors.Add(new($"{at}.{field}.name", "Use a letter, then up to 63 letters, digits or underscores."));
                }
                else if (!names.Add(tool.Name))
                {
                    errors.Add(new($"{at}.{field}.name", $"Another tool is already named '{tool.Name}'."));
                }

                Require(!string.IsNullOrWhiteSpace(tool.Description) && tool.Description.Length <= MaxToolDescriptionLength, $"{field}.description", $"Tell the model what the tool does, in at most {MaxToolDescriptionLength} characters.");
                Require(!string.IsNullOrWhiteSpace(tool.Url), $"{field}.url", "A tool needs a webhook URL.");
                if (tool.Url is { } url)
                {
                    CheckTemplate(url, $"{field}.url");
                    Require(!WorkflowTemplate.StepReferences(url).Any(), $"{field}.url", "A tool's URL may use input and settings, not step outputs.");
                    if (!url.Contains("{{", StringComparison.Ordinal))
                    {
                        Require(Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https", $"{field}.url", "Give an absolute http or https URL (or a template that renders one).");
                    }
                }

                string? schemaProblem = ProposalSchemas.Problem(tool.Parameters);
                Require(schemaProblem is null, $"{field}.parameters", schemaProblem ?? string.Empty);
                Require(tool.MaxAttempts is null or (>= 1 and <= 10), $"{field}.maxAttempts", "Give 1 to 10 attempts.");
                if (tool.Approval is { } approval)
                {
                    Require(tool.RequiresApproval, $"{field}.approval", "An approval applies only to a tool with requiresApproval: true.");
                    CheckChain($"{field}.approval.", approval.Approvers, approval.Timeout, approval.Escalation, approval.Policy, approval.Reminders);
                    CheckTemplate(approval.Title, $"{field}.approval.title");
                    CheckTemplate(approval.Requester, $"{field}.approval.requester");
                    if (approval.OnlyAbove is { } threshold)
                    {
                        bool number = schemaProblem is null && ProposalSchemas.Fields(tool.Parameters).Any(f => f.Name == threshold.Argument && f.Type is "number" or "integer");
                        Require(number, $"{field}.approval.onlyAbove.argument", $"'{threshold.Argument}' is not a number or integer argument of the tool.");
                        Require(!string.IsNullOrWhiteSpace(threshold.Value), $"{field}.approval.onlyAbove.value", "Give the limit: a number or a template such as {{input.approvalAbove}}.");
                        CheckTemplate(threshold.Value, $"{field}.approval.onlyAbove.value");
                    }
                }
                else if (tool.RequiresApproval && !stepApproves)
                {
                    errors.Add(new($"{at}.{field}.approval", "A tool that requires approval needs approvers and a timeout: in its approval, or on the agent step for all its tools."));
                }
            }

            if (stepApproves)
            {
                CheckChain(string.Empty, step.Approvers, step.Timeout, step.Escalation, step.Policy, step.Reminders);
                CheckTemplate(step.Requester, "requester");
            }
        }

        switch (step.Kind)
        {
            case StepKind.Ai:
                Require(!string.IsNullOrWhiteSpace(step.Prompt), "prompt", "An ai step needs a prompt.");
                CheckTemplate(step.Prompt, "prompt");
                CheckTemplate(step.System, "system");
                if (step.OutputSchema is { } outputSchema)
                {
                    Require(step.Json, "outputSchema", "An output schema needs json: true.");
                    Require(ProposalSchemas.Problem(outputSchema) is null, "outputSchema", ProposalSchemas.Problem(outputSchema) ?? string.Empty);
                }

                NotFor(step.Source, "source");
                NotFor(step.Approvers, "approvers");
                NotFor(step.Url, "url");
                NotFor(step.Tools, "tools");
                break;

            case StepKind.Approval:
                CheckSource();
                Require(!string.IsNullOrWhiteSpace(step.Title), "title", "An approval step needs a title for its approvers.");
                CheckChain(string.Empty, step.Approvers, step.Timeout, step.Escalation, step.Policy, step.Reminders);
                CheckTemplate(step.Title, "title");
                CheckTemplate(step.Context, "context");
                CheckTemplate(step.Requester, "requester");
                Require(Enum.IsDefined(step.OnTimeout), "onTimeout", "Use reject, approve or fail.");

                if (step.AutoApproveAtConfidence is { } threshold)
                {
                    Require(threshold is >= 0 and <= 1, "autoApproveAtConfidence", "Give a confidence from 0 to 1.");
                    Require(step.Source is null || !allSteps.TryGetValue(step.Source, out StepKind sourceKind) || sourceKind == StepKind.Ai, "autoApproveAtConfidence", "Auto-approval needs an ai step as the source.");
                }

                if (step.OnReject is { } onReject)
                {
                    Require(allSteps.ContainsKey(onReject), "onReject", $"No step is named '{onReject}'.");
                }

                if (step.OnRequestChanges is { } onRequestChanges)
                {
                    Require(earlier.Contains(onRequestChanges) && allSteps[onRequestChanges] == StepKind.Ai, "onRequestChanges", $"'{onRequestChanges}' is not an earlier ai step.");
                }

                if (step.ProposalSchema is { } proposalSchema)
                {
                    Require(ProposalSchemas.Problem(proposalSchema) is null, "proposalSchema", ProposalSchemas.Problem(proposalSchema) ?? string.Empty);
                }

                Require(step.MaxRevisions is null or (>= 0 and <= MaxRevisionsLimit), "maxRevisions", $"Give 0 to {MaxRevisionsLimit} revisions.");
                NotFor(step.Prompt, "prompt");
                NotFor(step.Url, "url");
                NotFor(step.Tools, "tools");
                break;

            case StepKind.Action:
                CheckSource();
                Require(!string.IsNullOrWhiteSpace(step.Url), "url", "An action step needs a webhook URL (a template may render it empty to skip the step).");
                CheckTemplate(step.Url, "url");
                if (step.Url is { } url && !url.Contains("{{", StringComparison.Ordinal))
                {
                    Require(Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https", "url", "Give an absolute http or https URL (or a template that renders one).");
                }

                Require(step.MaxAttempts is null or (>= 1 and <= 10), "maxAttempts", "Give 1 to 10 attempts.");
                NotFor(step.Prompt, "prompt");
                NotFor(step.Approvers, "approvers");
                NotFor(step.Tools, "tools");
                break;

            case StepKind.Agent:
                Require(!string.IsNullOrWhiteSpace(step.Prompt), "prompt", "An agent step needs a prompt: the request its conversation starts with.");
                CheckTemplate(step.Prompt, "prompt");
                CheckTemplate(step.System, "system");
                CheckTools();
                Require(step.MaxTurns is null or (>= 1 and <= AgentLimits.MaxTurnsLimit), "maxTurns", $"Give 1 to {AgentLimits.MaxTurnsLimit} model turns.");
                Require(step.MaxToolCalls is null or (>= 1 and <= AgentLimits.MaxToolCallsLimit), "maxToolCalls", $"Give 1 to {AgentLimits.MaxToolCallsLimit} tool calls.");
                NotFor(step.Source, "source");
                NotFor(step.Url, "url");
                NotFor(step.Title, "title");
                NotFor(step.OutputSchema, "outputSchema");
                NotFor(step.ProposalSchema, "proposalSchema");
                NotFor(step.OnReject, "onReject");
                NotFor(step.OnRequestChanges, "onRequestChanges");
                break;

            default:
                errors.Add(new($"{at}.kind", "Use ai, approval, action or agent."));
                break;
        }
    }
}
