using HitlFunctions.Approvals;
using HitlFunctions.Common;

namespace HitlFunctions.Inbox;

/// <summary>
/// Away rules, hand-overs and reassignments, for the API and the pages alike. The person acting is always the caller's
/// verified identity, passed in by the handler; a stand-in is recorded in the ledger first and emailed after (through
/// the notification outbox, which issues their own link), so a retry that finds it recorded only sends again, once.
/// </summary>
public sealed class Delegating(IDelegationStore store, IApprovalLedger ledger, INotificationSender sender, TimeProvider timeProvider)
{
    /// <summary>The longest away rule: a year and a day.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(366);

    /// <summary>The most workflow definitions a rule may name.</summary>
    public const int MaxWorkflows = 50;

    /// <summary>The longest comment on a reassignment, in characters.</summary>
    public const int MaxCommentLength = ApprovalsApi.MaxCommentLength;

    public const string AsWell = "as-well";
    public const string Instead = "instead";

    public static string ModeName(DelegationMode mode) => mode == DelegationMode.Instead ? Instead : AsWell;

    /// <summary>What a mode does, in the words the page and the API show.</summary>
    public static string Explain(DelegationMode mode, string to) => mode == DelegationMode.Instead
        ? $"Instead: only {to} is asked for new approvals; you are not emailed, and your own links stop working for them. For when you cannot look at all."
        : $"As well: you stay asked and {to} is asked too; whichever of you answers first answers for you, once. For when you may still look in.";

    public DelegationView View(DelegationRule rule) => new(
        rule.Owner, rule.To, rule.Starts, rule.Ends, ModeName(rule.Mode), rule.Workflows ?? [], rule.IsActive(timeProvider.GetUtcNow()), Explain(rule.Mode, rule.To));

    public Task<DelegationRule?> GetAsync(string owner, CancellationToken cancellationToken) => store.GetAsync(owner, cancellationToken);

    public Task<bool> ClearAsync(string owner, CancellationToken cancellationToken) => store.RemoveAsync(owner, cancellationToken);

    /// <summary>
    /// Checks and sets <paramref name="owner"/>'s rule. Errors name the field; a rule that would send approvals back to
    /// someone who delegates to the owner at the same time is a conflict (a loop), and nothing is set.
    /// </summary>
    public async Task<(DelegationRule? Rule, IReadOnlyList<FieldError> Errors, string? Conflict)> SetAsync(string owner, DelegationRequest body, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        List<FieldError> errors = [];
        string? to = body.To?.Trim();
        if (string.IsNullOrEmpty(to) || to.Length > 254 || !EmailAddress.IsValid(to))
        {
            errors.Add(new FieldError("to", "'to' is required: the email address of the person who answers while you are away."));
        }
        else if (DecisionRules.SameApprover(to, owner))
        {
            errors.Add(new FieldError("to", "You cannot delegate to yourself: name the colleague who answers while you are away."));
        }

        DateTimeOffset from = body.From ?? now;
        if (body.Until is not { } until)
        {
            errors.Add(new FieldError("until", "'until' is required: when the rule ends."));
            until = from;
        }
        else if (until <= from || until <= now)
        {
            errors.Add(new FieldError("until", "'until' must be after 'from' and in the future."));
        }
        else if (until - from > MaxLength)
        {
            errors.Add(new FieldError("until", $"A rule lasts at most {MaxLength.TotalDays:0} days."));
        }

        DelegationMode? mode = body.Mode?.Trim().ToLowerInvariant() switch
        {
            AsWell => DelegationMode.AsWell,
            Instead => DelegationMode.Instead,
            _ => null,
        };
        if (mode is null)
        {
            errors.Add(new FieldError("mode", $"'mode' is required: '{AsWell}' (you stay asked and the delegate too) or '{Instead}' (only the delegate)."));
        }

        string[] workflows = [.. (body.Workflows ?? []).Select(w => w?.Trim() ?? string.Empty).Distinct(StringComparer.Ordinal)];
        if (workflows.Length > MaxWorkflows || workflows.Any(w => w.Length is 0 or > 100))
        {
            errors.Add(new FieldError("workflows", $"List at most {MaxWorkflows} workflow definition names, none blank."));
        }

        if (errors.Count > 0)
        {
            return (null, errors, null);
        }

        // Chains stop when approvals open (only an approver's own rule is read), so a loop could not pass approvals
        // round; it is still refused, since two people each answering for the other is a mistake.
        if (await store.GetAsync(to!, cancellationToken) is { } back && DecisionRules.SameApprover(back.To, owner) && back.Starts < until && from < back.Ends)
        {
            return (null, [], $"{back.Owner} delegates their approvals to you from {DelegationResolver.Time(back.Starts)} until {DelegationResolver.Time(back.Ends)}; delegating yours back to them then would be a loop. Nothing was set.");
        }

        DelegationRule rule = new(owner, to!, from, until, mode!.Value, workflows.Length == 0 ? null : workflows, now);
        await store.SetAsync(rule, cancellationToken);
        return (rule, [], null);
    }

    /// <summary>
    /// Hands <paramref name="owner"/>'s pending approvals to the delegate of their active rule, in its mode; approvals
    /// the rule does not cover, or that the delegate may not answer, stay as they were and are listed with the reason.
    /// Null when there is no active rule.
    /// </summary>
    public async Task<HandoverResult?> HandOverAsync(string owner, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (await store.GetAsync(owner, cancellationToken) is not { } rule || !rule.IsActive(now))
        {
            return null;
        }

        List<string> handed = [];
        List<HandoverSkip> skipped = [];
        foreach (ApprovalListing listing in await ledger.ListAsync(new ApprovalQuery(Approver: owner, PendingOnly: true), cancellationToken))
        {
            string? seat = Asking.SeatOf(listing.Approvers, listing.StandIns, owner);
            if (seat is null || !DecisionRules.SameApprover(seat, owner))
            {
                skipped.Add(new HandoverSkip(listing.ApprovalId, listing.Title, $"you answer it on behalf of {seat}; an away rule passes on only your own approvals"));
                continue;
            }

            ApprovalRecord? record = await ledger.GetAsync(listing.ApprovalId, cancellationToken);
            if (record is null || !rule.Covers(record.Ticket.Definition, now))
            {
                skipped.Add(new HandoverSkip(listing.ApprovalId, listing.Title, "its workflow is not one your rule covers"));
                continue;
            }

            StandIn standIn = new(rule.To, seat, rule.Mode, StandInReason.Delegation, now, seat, $"away until {DelegationResolver.Time(rule.Ends)}");
            StandInChange change = await ledger.AddStandInAsync(record.ApprovalId, standIn, now, cancellationToken);
            if (change is { Status: StandInStatus.Added or StandInStatus.Repeated, Record: { } updated })
            {
                await this.NotifyAsync(updated, standIn, now, cancellationToken);
                handed.Add(record.ApprovalId);
            }
            else
            {
                skipped.Add(new HandoverSkip(record.ApprovalId, record.Ticket.Title, Asking.Describe(change.Status, rule.To)));
            }
        }

        return new HandoverResult(rule.To, ModeName(rule.Mode), handed, skipped);
    }

    /// <summary>
    /// Hands one approval that asks <paramref name="person"/> to the colleague the body names, in their place.
    /// Returns the ledger's answer, or the field errors of the request.
    /// </summary>
    public async Task<(StandInChange? Change, StandIn? StandIn, IReadOnlyList<FieldError> Errors)> ReassignAsync(
        string person, string approvalId, ReassignRequest body, CancellationToken cancellationToken)
    {
        List<FieldError> errors = [];
        string? to = body.To?.Trim();
        if (string.IsNullOrEmpty(to) || to.Length > 254 || !EmailAddress.IsValid(to))
        {
            errors.Add(new FieldError("to", "'to' is required: the email address of the colleague who answers in your place."));
        }

        if (body.Comment is { Length: > MaxCommentLength })
        {
            errors.Add(new FieldError("comment", $"A comment has at most {MaxCommentLength} characters."));
        }

        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        ApprovalRecord? record = await ledger.GetAsync(approvalId, cancellationToken);
        if (record is null)
        {
            return (new StandInChange(StandInStatus.NotFound, null), null, []);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        string? comment = string.IsNullOrWhiteSpace(body.Comment) ? null : TextSanitizer.Clean(body.Comment.Trim());

        // A retry after the reassignment was recorded finds the caller no longer asked: it answers for the same approver as before.
        string seat = Asking.SeatOf(record.Ticket, person)
            ?? record.Ticket.StandIns?.LastOrDefault(s => s.Reason == StandInReason.Reassigned && DecisionRules.SameApprover(s.By, person) && DecisionRules.SameApprover(s.Person, to!))?.For
            ?? person;
        StandIn standIn = new(to!, seat, DelegationMode.Instead, StandInReason.Reassigned, now, person, comment);
        StandInChange change = await ledger.AddStandInAsync(approvalId, standIn, now, cancellationToken);
        if (change is { Status: StandInStatus.Added or StandInStatus.Repeated, Record: { } updated })
        {
            StandIn recorded = await this.NotifyAsync(updated, standIn, now, cancellationToken);
            return (change, recorded, []);
        }

        return (change, standIn, []);
    }

    /// <summary>"Reassigned to ann@… on behalf of bob@…": the words of a recorded reassignment.</summary>
    public static ReassignedView Reassigned(string approvalId, StandIn standIn) => new(
        approvalId, standIn.Person, standIn.For, standIn.By, standIn.Note, standIn.At,
        $"{standIn.Person} now answers this approval on behalf of {standIn.For} and was emailed their own link; your link no longer answers it.");

    /// <summary>
    /// Emails the stand-in their own link (the outbox issues it), once per recorded stand-in, and notes it in the audit
    /// trail. Returns the stand-in as recorded (on a repeat, the earlier one).
    /// </summary>
    private async Task<StandIn> NotifyAsync(ApprovalRecord record, StandIn standIn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ApprovalTicket ticket = record.Ticket;
        int index = Asking.IndexOf(ticket, standIn);
        NotificationMessage message = new(
            $"{ticket.ApprovalId}:StandIn:{index}", NotificationKind.Request, [standIn.Person], ticket.ApprovalId, ticket.WorkflowId, ticket.Title, ticket.Level, ticket.DueAt,
            $"On behalf of {standIn.For}");
        await sender.SendAsync(message, cancellationToken);
        await ledger.AppendAuditAsync(ticket.ApprovalId, AuditEntries.Notified(message, now), cancellationToken);
        return ticket.StandIns![index];
    }
}
