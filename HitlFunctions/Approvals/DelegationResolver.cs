using System.Globalization;

namespace HitlFunctions.Approvals;

/// <summary>
/// Applies the approvers' away rules to an approval as it opens (in the opening activity, never in orchestrator code,
/// since the rules are read from storage and change at any time). Chains stop: only the rules of the ticket's own
/// approvers are read, so a delegate who is away too does not pass the approval on; a delegate already asked, the
/// requester and the starter are not asked on anyone's behalf, and the approver then stays asked.
/// </summary>
public sealed class DelegationResolver(IDelegationStore store)
{
    /// <summary>The ticket with the stand-ins the rules ask for, and an audit line for each rule that did not apply.</summary>
    public async Task<(ApprovalTicket Ticket, IReadOnlyList<AuditEntry> NotApplied)> ResolveAsync(ApprovalTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        DelegationRule?[] rules = await Task.WhenAll(ticket.Approvers.Distinct(StringComparer.OrdinalIgnoreCase).Select(a => store.GetAsync(a, cancellationToken)));
        ApprovalRecord draft = new(ticket, ApprovalState.Pending, null, [], [], null);
        List<AuditEntry> notApplied = [];
        foreach (DelegationRule rule in rules.OfType<DelegationRule>().Where(r => r.Covers(ticket.Definition, now)))
        {
            string owner = DecisionRules.CanonicalApprover(ticket, rule.Owner);
            StandIn standIn = new(rule.To, owner, rule.Mode, StandInReason.Delegation, now, owner, $"away until {Time(rule.Ends)}");
            if (Asking.Check(draft, standIn, now) is { } refused)
            {
                notApplied.Add(AuditEntries.NotDelegated(rule, refused, now, ticket.Level));
            }
            else
            {
                draft = draft with { Ticket = draft.Ticket with { StandIns = [.. draft.Ticket.StandIns ?? [], standIn] } };
            }
        }

        return (draft.Ticket, notApplied);
    }

    /// <summary>A time as pages and audit lines show it: "2025-06-01 09:00 UTC".</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
