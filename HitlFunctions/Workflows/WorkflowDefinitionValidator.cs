using System.Text.RegularExpressions;
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
            ];
            foreach ((string field, string? template) in fields.Append(("url", step.Url)))
            {
                foreach (string key in WorkflowTemplate.SettingReferences(template ?? string.Empty).Where(k => !publicSettings.Contains(k) && !(shipped && field == "url")))
                {
                    errors.Add(new($"steps[{i}]({step.Name}).{field}", shipped
                        ? $"'settings.{key}' is not a public setting ({WorkflowOptions.SectionName}:PublicSettings); other settings may be used only in url."
                        : $"'settings.{key}' is not a public setting ({WorkflowOptions.SectionName}:PublicSettings); a definition given in a request may use only public settings."));
                }
            }
        }

        return errors;
    }

    /// <summary>Checks a valid definition against the flood limits; <paramref name="prefix"/> goes before each field.</summary>
    public static IReadOnlyList<FieldError> ValidateLimits(WorkflowDefinition definition, FloodLimitOptions limits, string prefix)
    {
        List<FieldError> errors = [];
        int notifications = 0;
        for (int i = 0; i < definition.Steps.Count; i++)
        {
            WorkflowStep step = definition.Steps[i];
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
                break;

            case StepKind.Approval:
                CheckSource();
                Require(!string.IsNullOrWhiteSpace(step.Title), "title", "An approval step needs a title for its approvers.");
                Require(step.Approvers is { Count: > 0 } && step.Approvers.All(a => !string.IsNullOrWhiteSpace(a)), "approvers", "List at least one approver.");
                Require(step.Timeout is { } t && t > TimeSpan.Zero && t <= MaxTimeout, "timeout", "Give a timeout greater than zero and at most 365 days, as d.hh:mm:ss.");
                CheckTemplate(step.Title, "title");
                CheckTemplate(step.Context, "context");
                CheckTemplate(step.Requester, "requester");
                foreach (string approver in step.Approvers ?? [])
                {
                    CheckTemplate(approver, "approvers");
                }

                for (int level = 0; level < (step.Escalation?.Count ?? 0); level++)
                {
                    EscalationLevel? escalation = step.Escalation![level];
                    string field = $"escalation[{level}]";
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

                Require(step.Policy is null || Enum.IsDefined(step.Policy.Kind), "policy.kind", "Use firstResponse, allMustApprove or quorum.");
                Require(Enum.IsDefined(step.OnTimeout), "onTimeout", "Use reject, approve or fail.");
                if (step.Policy is { Kind: ApprovalPolicyKind.Quorum } quorum)
                {
                    int smallestLevel = new[] { step.Approvers?.Count ?? 0 }.Concat(step.Escalation?.Select(e => e?.Approvers?.Count ?? 0) ?? []).Min();
                    Require(quorum.RequiredApprovals is { } n && n >= 1 && n <= smallestLevel, "policy.requiredApprovals", "A quorum needs requiredApprovals between 1 and the number of approvers at every level.");
                }

                if (step.Reminders is { } reminders)
                {
                    Require(reminders.Interval > TimeSpan.Zero, "reminders.interval", "Give a reminder interval greater than zero.");
                    Require(reminders.MaxCount is >= 0 and <= 100, "reminders.maxCount", "Give a reminder count from 0 to 100.");
                }

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
                break;

            default:
                errors.Add(new($"{at}.kind", "Use ai, approval or action."));
                break;
        }
    }
}
