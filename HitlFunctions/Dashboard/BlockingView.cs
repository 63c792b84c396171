using HitlFunctions.Approvals;
using HitlFunctions.Common;

namespace HitlFunctions.Dashboard;

/// <summary>
/// Groups pending approvals by who blocks them (each approver asked who has not answered yet) or by definition, and
/// pages the groups. Works on the ledger's listings alone, so 10,000 pending approvals are grouped in memory, not read.
/// </summary>
public sealed record BlockingView(IReadOnlyList<BlockingGroup> Groups, int GroupCount, int ApprovalCount, int PageCount)
{
    /// <summary>Groups per page.</summary>
    public const int GroupsPerPage = 20;

    /// <summary>Approvals shown in a group; the rest are a click (the group's filter) away.</summary>
    public const int ApprovalsPerGroup = 10;

    public static BlockingView Build(IReadOnlyList<ApprovalListing> pending, BlockingQuery query, DateTimeOffset now)
    {
        bool newest = query.Sort == "newest";
        IEnumerable<(string Key, ApprovalListing Approval)> keyed = query.Group == "definition"
            ? pending.Select(a => (a.Definition ?? HitlTelemetry.NoDefinition, a))
            : pending.SelectMany(a => a.Unanswered.Select(approver => (approver.Trim().ToLowerInvariant(), a)))
                .Where(k => query.Approver is null || DecisionRules.SameApprover(k.Item1, query.Approver));
        BlockingGroup[] groups = [.. keyed
            .GroupBy(k => k.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                ApprovalListing[] ordered = newest ? [.. g.Select(k => k.Approval).OrderByDescending(a => a.AskedAt)] : [.. g.Select(k => k.Approval).OrderBy(a => a.AskedAt)];
                return new BlockingGroup(g.Key, [.. ordered.Take(ApprovalsPerGroup)], ordered.Length, ordered.Count(a => a.IsOverdue(now)), now - ordered.Min(a => a.AskedAt));
            })];
        IEnumerable<BlockingGroup> sorted = newest ? groups.OrderBy(g => g.OldestAge).ThenBy(g => g.Name, StringComparer.Ordinal) : groups.OrderByDescending(g => g.OldestAge).ThenBy(g => g.Name, StringComparer.Ordinal);
        int pages = Math.Max(1, (groups.Length + GroupsPerPage - 1) / GroupsPerPage);
        return new BlockingView([.. sorted.Skip((Math.Min(query.Page, pages) - 1) * GroupsPerPage).Take(GroupsPerPage)], groups.Length, pending.Count, pages);
    }
}
