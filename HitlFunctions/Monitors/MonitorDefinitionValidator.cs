using HitlFunctions.Approvals;
using HitlFunctions.Common;

namespace HitlFunctions.Monitors;

/// <summary>Checks a monitor definition before it starts; every error names its field.</summary>
public static class MonitorDefinitionValidator
{
    public static IReadOnlyList<FieldError> Validate(MonitorDefinition? definition)
    {
        if (definition is null)
        {
            return [new FieldError("definition", "Give the monitor definition.")];
        }

        List<FieldError> errors = [];
        void Require(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors.Add(new FieldError($"definition.{field}", message));
            }
        }

        Require(!string.IsNullOrWhiteSpace(definition.Name), "name", "Give the monitor a name.");
        Require(definition.Target is not null && IsHttpUrl(definition.Target.Url), "target.url", "Give an absolute http or https URL to check.");
        Require(definition.Target is null || Enum.IsDefined(definition.Target.Kind), "target.kind", "Use health or metric.");
        if (definition.Target is { Kind: TargetKind.Metric } metric)
        {
            Require(!string.IsNullOrWhiteSpace(metric.JsonPath), "target.jsonPath", "A metric target needs the JSON path of its number.");
            Require(metric.Above is not null || metric.Below is not null, "target.above", "A metric target needs a threshold: above, below or both.");
        }

        Require(definition.CheckInterval >= TimeSpan.FromSeconds(1) && definition.CheckInterval <= TimeSpan.FromDays(1), "checkInterval", "Give a check interval from 00:00:01 to 1.00:00:00.");
        Require(definition.FailuresToIncident is >= 1 and <= 100, "failuresToIncident", "Give 1 to 100 consecutive failures.");
        Require(IsHttpUrl(definition.RemediationUrl), "remediationUrl", "Give the remediation webhook as an absolute http or https URL.");
        Require(definition.QuietPeriod >= TimeSpan.Zero && definition.QuietPeriod <= TimeSpan.FromDays(30), "quietPeriod", "Give a quiet period from 0 to 30 days.");
        Require(definition.OnCall is { Count: > 0 }, "onCall", "Give the on-call chain: at least one level of approvers.");
        for (int i = 0; i < (definition.OnCall?.Count ?? 0); i++)
        {
            EscalationLevel? level = definition.OnCall![i];
            Require(level?.Approvers is { Count: > 0 } approvers && approvers.All(EmailAddress.IsValid), $"onCall[{i}].approvers", "List the email addresses of this level.");
            Require(level is not null && level.Timeout > TimeSpan.Zero && level.Timeout <= TimeSpan.FromDays(30), $"onCall[{i}].timeout", "Give this level a timeout from one second to 30 days.");
        }

        Require(definition.ChecksPerGeneration is >= 1 and <= 1000, "checksPerGeneration", "Give 1 to 1000 checks per generation.");
        if (definition.Reminders is { } reminders)
        {
            Require(reminders.Interval > TimeSpan.Zero && reminders.MaxCount is >= 0 and <= 100, "reminders", "Give a positive interval and 0 to 100 reminders.");
        }

        return errors;
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
