using System.Globalization;
using HitlFunctions.Approvals;
using HitlFunctions.Workflows;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Inbox;

/// <summary>
/// A person's inbox and history from the ledger's approver index: one index query lists everything that asks them
/// (no scan of instances), the list is filtered, ordered by deadline and paged in memory, and only the page's
/// approvals are read in full.
/// </summary>
public sealed class InboxReader(IApprovalLedger ledger, TimeProvider timeProvider)
{
    /// <summary>Approvals on one page of the inbox or the history.</summary>
    public const int PageSize = 25;

    /// <summary>An approval whose deadline is this close is marked "due soon" (1 hour).</summary>
    public static readonly TimeSpan DueSoonWithin = TimeSpan.FromHours(1);

    /// <summary>The page of <paramref name="person"/>'s pending approvals that <paramref name="filter"/> asks for, soonest deadline first.</summary>
    public async Task<InboxList> PendingAsync(string person, InboxFilter filter, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        IReadOnlyList<ApprovalListing> all = await ledger.ListAsync(new ApprovalQuery(Approver: person, PendingOnly: true), cancellationToken);
        ApprovalQuery wanted = new(Approver: person, OverdueAt: filter.Overdue ? now : null, Definition: filter.Definition);
        ApprovalListing[] matching = [.. all.Where(l => DecisionRules.Matches(l, wanted)).OrderBy(l => l.DueAt).ThenBy(l => l.ApprovalId, StringComparer.Ordinal)];
        (long Ticks, string Id)? after = ParseCursor(filter.After);
        ApprovalListing[] page = [.. matching.Where(l => after is not { } a || (l.DueAt.UtcTicks, l.ApprovalId).CompareTo(a) > 0).Take(PageSize + 1)];

        List<InboxItem> items = [];
        foreach (ApprovalListing listing in page.Take(PageSize))
        {
            if (await ledger.GetAsync(listing.ApprovalId, cancellationToken) is { State: ApprovalState.Pending } record)
            {
                items.Add(new InboxItem(
                    record,
                    record.IsOverdue(now),
                    !record.IsOverdue(now) && record.Ticket.DueAt - now <= DueSoonWithin,
                    record.Ticket.Level > 1 ? await this.EscalatedFromAsync(record, cancellationToken) : null,
                    BulkBlocker(record, person, Verdict.Approve, now)));
            }
        }

        return new InboxList(
            items,
            all.Count,
            matching.Length,
            all.Count(l => l.IsOverdue(now)),
            [.. all.Select(l => l.Definition).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            page.Length > PageSize ? InboxItem.CursorOf(page[PageSize - 1].DueAt, page[PageSize - 1].ApprovalId) : null);
    }

    /// <summary>The pending approval that asks <paramref name="person"/> with the soonest deadline, other than <paramref name="except"/>.</summary>
    public async Task<ApprovalListing?> NextAsync(string person, string except, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        IReadOnlyList<ApprovalListing> all = await ledger.ListAsync(new ApprovalQuery(Approver: person, PendingOnly: true), cancellationToken);
        return all.Where(l => l.ApprovalId != except && !l.IsOverdue(now) && !(l.Answers ?? []).Any(a => DecisionRules.SameApprover(a.Approver, Asking.SeatOf(l.Approvers, l.StandIns, person) ?? person)))
            .OrderBy(l => l.DueAt).ThenBy(l => l.ApprovalId, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>What <paramref name="person"/> answered, newest first, with the outcome of each workflow.</summary>
    public async Task<(IReadOnlyList<HistoryItem> Items, string? Next)> HistoryAsync(string person, string? after, DurableTaskClient client, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApprovalListing> all = await ledger.ListAsync(new ApprovalQuery(Approver: person, PendingOnly: false), cancellationToken);

        // The rows say whether anyone answered; whether it was this person (perhaps standing in for someone, in whose
        // seat the answer is recorded) the approval itself says, read in full below.
        ApprovalListing[] answered = [.. all
            .Where(l => l.Answers is { Count: > 0 })
            .OrderByDescending(l => (l.ClosedAt ?? l.AskedAt).UtcTicks).ThenBy(l => l.ApprovalId, StringComparer.Ordinal)];
        (long Ticks, string Id)? cursor = ParseCursor(after);
        ApprovalListing[] page = [.. answered.Where(l => cursor is not { } c || HistoryOrder(l).CompareTo((-c.Ticks, c.Id)) > 0).Take(PageSize + 1)];

        List<HistoryItem> items = [];
        foreach (ApprovalListing listing in page.Take(PageSize))
        {
            if (await ledger.GetAsync(listing.ApprovalId, cancellationToken) is { } record
                && Mine(record, person) is { } mine)
            {
                items.Add(new HistoryItem(record, mine, await OutcomeAsync(client, record, cancellationToken)));
            }
        }

        ApprovalListing? last = page.Length > PageSize ? page[PageSize - 1] : null;
        return (items, last is null ? null : InboxItem.CursorOf(last.ClosedAt ?? last.AskedAt, last.ApprovalId));
    }

    /// <summary>
    /// Why <paramref name="person"/> cannot give <paramref name="verdict"/> to this approval together with others, or null.
    /// A bulk answer approves the proposal as it is, so a structured proposal its own schema refuses needs edits first.
    /// </summary>
    public static string? BulkBlocker(ApprovalRecord record, string person, Verdict verdict, DateTimeOffset now)
    {
        ApprovalTicket ticket = record.Ticket;
        if (Mine(record, person) is { } mine)
        {
            return $"You already answered it: {ApprovalText.ReceiptText(mine)}.";
        }

        if (Asking.HandedAway(ticket, person) is { } away)
        {
            return $"You handed it to {away.Person}, who answers it now.";
        }

        if (record.State == ApprovalState.Decided)
        {
            return $"Already decided: {ApprovalText.ReceiptText(record.Decisions[^1])}.";
        }

        if (record.State is ApprovalState.Escalated or ApprovalState.TimedOut || (record.State == ApprovalState.Pending && now > ticket.DueAt))
        {
            return "No longer yours to answer: its deadline passed, so it was escalated to the next level or timed out.";
        }

        if (record.State == ApprovalState.Cancelled)
        {
            return "No longer open: its workflow was cancelled.";
        }

        if (DecisionRules.IsSelfApproval(ticket, person))
        {
            return "You started this workflow or requested this approval, so your answer cannot count.";
        }

        if (verdict == Verdict.Approve && ticket.ProposalSchema is { } schema && ProposalSchemas.Validate(schema, ticket.Proposal) is { Count: > 0 } errors)
        {
            return $"Needs edits before it can be approved ({string.Join(", ", errors.Select(e => e.Field.Length == 0 ? "the proposal" : e.Field))}): open it and correct it.";
        }

        return null;
    }

    /// <summary>
    /// The answer that counts for <paramref name="person"/>: their own, or, standing in for someone, the one given in
    /// that seat by them (an answer by the person they stand in for is not theirs).
    /// </summary>
    public static ApprovalDecision? Mine(ApprovalRecord record, string person) =>
        record.Decisions.FirstOrDefault(d => DecisionRules.SameApprover(d.AnsweredBy ?? d.Approver, person))
        ?? (Asking.SeatOf(record.Ticket, person) is { } seat ? record.Decisions.FirstOrDefault(d => DecisionRules.SameApprover(d.Approver, seat)) : null);

    private async Task<IReadOnlyList<string>?> EscalatedFromAsync(ApprovalRecord record, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApprovalListing> levels = await ledger.ListAsync(new ApprovalQuery(CheckpointId: record.Ticket.CheckpointId, PendingOnly: false), cancellationToken);
        return levels.Where(l => l.Level == record.Ticket.Level - 1 && l.AskedAt <= record.Ticket.AskedAt).MaxBy(l => l.AskedAt)?.Approvers;
    }

    private static async Task<string> OutcomeAsync(DurableTaskClient client, ApprovalRecord record, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(record.Ticket.WorkflowId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return "No longer kept (purged)";
        }

        if (instance.Name != nameof(WorkflowOrchestration))
        {
            return $"Monitor {record.Ticket.WorkflowId}, {instance.RuntimeStatus.ToString().ToLowerInvariant()}";
        }

        return instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed => instance.ReadOutputAs<WorkflowResult>()?.Outcome.ToString() ?? "Completed",
            OrchestrationRuntimeStatus.Failed => "Failed",
            OrchestrationRuntimeStatus.Terminated => "Cancelled",
            _ => instance.ReadCustomStatusAs<WorkflowStatus>()?.CurrentStep is { } step ? $"Running: step {step}" : "Running",
        };
    }

    private static (long, string) HistoryOrder(ApprovalListing listing) => (-(listing.ClosedAt ?? listing.AskedAt).UtcTicks, listing.ApprovalId);

    private static (long Ticks, string Id)? ParseCursor(string? cursor) =>
        cursor is { Length: > 0 } && cursor.IndexOf('-', StringComparison.Ordinal) is var dash and > 0
        && long.TryParse(cursor.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
            ? (ticks, cursor[(dash + 1)..])
            : null;
}
