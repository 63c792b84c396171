using System.Globalization;
using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>Approvals in the words pages and emails show: the proposal as text, times, deadlines and receipts.</summary>
public static class ApprovalText
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    /// <summary>The proposal as text: a string as is, anything else as indented JSON.</summary>
    public static string ProposalText(JsonElement proposal) =>
        proposal.ValueKind == JsonValueKind.String ? proposal.GetString() ?? string.Empty : JsonSerializer.Serialize(proposal, IndentedJson);

    /// <summary>"2025-01-31 09:12 UTC".</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>How far away <paramref name="at"/> is, in words: "within 4 hours 59 minutes", "within 2 days 3 hours", "now: the deadline has passed".</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        TimeSpan left = at - now;
        if (left <= TimeSpan.Zero)
        {
            return "now: the deadline has passed";
        }

        return left switch
        {
            { TotalMinutes: < 1 } => "within a minute",
            { TotalHours: < 1 } => $"within {Unit((int)Math.Ceiling(left.TotalMinutes), "minute")}",
            { TotalDays: < 2 } => $"within {Unit((int)left.TotalHours, "hour")}{(left.Minutes > 0 ? " " + Unit(left.Minutes, "minute") : string.Empty)}",
            _ => $"within {Unit(left.Days, "day")}{(left.Hours > 0 ? " " + Unit(left.Hours, "hour") : string.Empty)}",
        };
    }

    /// <summary>How long ago <paramref name="at"/> was: "just now", "5 minutes ago", "3 hours ago", "2 days ago".</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        TimeSpan past = now - at;
        return past switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{Unit((int)past.TotalMinutes, "minute")} ago",
            { TotalDays: < 2 } => $"{Unit((int)past.TotalHours, "hour")} ago",
            _ => $"{Unit((int)past.TotalDays, "day")} ago",
        };
    }

    /// <summary>"Approved with edits by ann@example.com at 2025-01-31 09:12 UTC".</summary>
    public static string ReceiptText(ApprovalDecision decision) =>
        $"{DecisionRules.Describe(decision)} by {DecisionRules.Who(decision)} at {Time(decision.DecidedAt)}";

    /// <summary>Where an approval stands after an answer, in a sentence.</summary>
    public static string StateText(ApprovalState state) => state switch
    {
        ApprovalState.Pending => "Waiting for the other approvers.",
        ApprovalState.Decided => "Decided; the workflow goes on.",
        ApprovalState.Escalated => "Escalated to the next level.",
        ApprovalState.TimedOut => "Timed out.",
        _ => "Cancelled.",
    };

    /// <summary>How a level's answers combine, in words: "the first answer decides", "2 of 3 approvals needed".</summary>
    public static string PolicyText(ApprovalPolicy policy, int approvers) => policy.Kind switch
    {
        ApprovalPolicyKind.AllMustApprove => $"all {approvers} must approve",
        ApprovalPolicyKind.Quorum => $"{policy.RequiredApprovals ?? 1} of {approvers} approvals needed",
        _ => "the first answer decides",
    };

    /// <summary>Quorum progress: "1 of 2 approvals".</summary>
    public static string Progress(ApprovalRecord record)
    {
        int needed = record.Ticket.Policy.Kind switch
        {
            ApprovalPolicyKind.AllMustApprove => record.Ticket.Approvers.Count,
            ApprovalPolicyKind.Quorum => record.Ticket.Policy.RequiredApprovals ?? 1,
            _ => 1,
        };
        int approved = record.Decisions.Count(d => d.Verdict == Verdict.Approve);
        return $"{approved} of {needed} {(needed == 1 ? "approval" : "approvals")}";
    }

    /// <summary>A value of a structured proposal as its form input shows it.</summary>
    public static string FieldText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private static string Unit(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count.ToString(CultureInfo.InvariantCulture)} {unit}s";
}
