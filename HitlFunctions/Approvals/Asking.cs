namespace HitlFunctions.Approvals;

/// <summary>
/// Who is asked for each approver of a ticket once stand-ins are counted, and which stand-ins may be added. An approver
/// is a seat in the quorum; the people who answer for a seat are its holders: the approver, then each stand-in in
/// order (one that is <see cref="DelegationMode.Instead"/> replaces whoever handed it over). A person holds at most one
/// seat of an approval, so one person's answer counts once.
/// </summary>
public static class Asking
{
    /// <summary>The people who answer for <paramref name="approver"/> now.</summary>
    public static IReadOnlyList<string> HoldersOf(string approver, IReadOnlyList<StandIn>? standIns)
    {
        List<string> holders = [approver];
        foreach (StandIn standIn in (standIns ?? []).Where(s => DecisionRules.SameApprover(s.For, approver)))
        {
            if (standIn.Mode == DelegationMode.Instead)
            {
                holders.RemoveAll(h => DecisionRules.SameApprover(h, standIn.By));
            }

            if (!holders.Exists(h => DecisionRules.SameApprover(h, standIn.Person)))
            {
                holders.Add(standIn.Person);
            }
        }

        return holders;
    }

    /// <summary>Everyone asked now, each once.</summary>
    public static IReadOnlyList<string> AskedNow(IReadOnlyList<string> approvers, IReadOnlyList<StandIn>? standIns) =>
        [.. approvers.SelectMany(a => HoldersOf(a, standIns)).Distinct(StringComparer.OrdinalIgnoreCase)];

    public static IReadOnlyList<string> AskedNow(ApprovalTicket ticket) => AskedNow(ticket.Approvers, ticket.StandIns);

    /// <summary>The approver whose answer <paramref name="person"/> gives now, or null when they are not asked (any more).</summary>
    public static string? SeatOf(IReadOnlyList<string> approvers, IReadOnlyList<StandIn>? standIns, string person) =>
        approvers.FirstOrDefault(a => HoldersOf(a, standIns).Any(h => DecisionRules.SameApprover(h, person)));

    public static string? SeatOf(ApprovalTicket ticket, string person) => SeatOf(ticket.Approvers, ticket.StandIns, person);

    /// <summary>Whether <paramref name="person"/> was ever asked: an approver, or a stand-in, even one handed on since.</summary>
    public static bool WasAsked(IReadOnlyList<string> approvers, IReadOnlyList<StandIn>? standIns, string person) =>
        approvers.Any(a => DecisionRules.SameApprover(a, person)) || (standIns ?? []).Any(s => DecisionRules.SameApprover(s.Person, person));

    /// <summary>The stand-in by which <paramref name="person"/> answers for someone else now, or null when they answer for themselves or not at all.</summary>
    public static StandIn? StandingIn(ApprovalTicket ticket, string person) =>
        SeatOf(ticket, person) is { } seat && !DecisionRules.SameApprover(seat, person)
            ? ticket.StandIns?.LastOrDefault(s => DecisionRules.SameApprover(s.Person, person) && DecisionRules.SameApprover(s.For, seat))
            : null;

    /// <summary>The stand-in that took <paramref name="person"/>'s place, when they were asked and no longer are.</summary>
    public static StandIn? HandedAway(ApprovalTicket ticket, string person) =>
        SeatOf(ticket, person) is null
            ? ticket.StandIns?.LastOrDefault(s => s.Mode == DelegationMode.Instead && DecisionRules.SameApprover(s.By, person))
            : null;

    /// <summary>Why <paramref name="standIn"/> cannot be added to <paramref name="record"/> now, <see cref="StandInStatus.Repeated"/> when it was, or null when it can.</summary>
    public static StandInStatus? Check(ApprovalRecord record, StandIn standIn, DateTimeOffset now)
    {
        ApprovalTicket ticket = record.Ticket;
        if (ticket.StandIns?.Any(s => Same(s, standIn)) == true)
        {
            return StandInStatus.Repeated;
        }

        if (record.State != ApprovalState.Pending || now > ticket.DueAt)
        {
            return StandInStatus.Closed;
        }

        if (!ticket.Approvers.Any(a => DecisionRules.SameApprover(a, standIn.For)) || !HoldersOf(standIn.For, ticket.StandIns).Any(h => DecisionRules.SameApprover(h, standIn.By)))
        {
            return StandInStatus.NotAsked;
        }

        if (DecisionRules.SameApprover(standIn.Person, standIn.By))
        {
            return StandInStatus.Self;
        }

        if (DecisionRules.IsSelfApproval(ticket, standIn.Person))
        {
            return StandInStatus.Requester;
        }

        if (SeatOf(ticket, standIn.Person) is not null)
        {
            return StandInStatus.AlreadyAsked;
        }

        return record.Decisions.Any(d => DecisionRules.SameApprover(d.Approver, standIn.For)) ? StandInStatus.AlreadyAnswered : null;
    }

    /// <summary><paramref name="record"/> with <paramref name="standIn"/> asked, and the audit line that says who, for whom, and why.</summary>
    public static ApprovalRecord Add(ApprovalRecord record, StandIn standIn) => record with
    {
        Ticket = record.Ticket with { StandIns = [.. record.Ticket.StandIns ?? [], standIn] },
        Audit = [.. record.Audit, AuditEntries.StoodIn(standIn, record.Ticket.Level)],
    };

    /// <summary>"as well as bob@example.com" / "instead of bob@example.com", for pages and audit lines.</summary>
    public static string ModeText(StandIn standIn) => standIn.Mode == DelegationMode.Instead ? $"instead of {standIn.By}" : $"as well as {standIn.By}";

    /// <summary>Why <paramref name="status"/> refused a stand-in, in words.</summary>
    public static string Describe(StandInStatus status, string person) => status switch
    {
        StandInStatus.NotAsked => "you are not asked for this approval (any more)",
        StandInStatus.Self => "it is already yours",
        StandInStatus.Requester => $"{person} started the workflow or requested this approval and may not answer it",
        StandInStatus.AlreadyAsked => $"{person} is already asked for this approval, and one person answers once",
        StandInStatus.AlreadyAnswered => "the answer for it is already recorded",
        StandInStatus.Closed => "it is no longer open",
        StandInStatus.NotFound => "there is no such approval",
        _ => "nothing changed",
    };

    /// <summary>Where <paramref name="standIn"/> (or the same stand-in recorded at another time) is in the ticket's list; -1 when it is not.</summary>
    public static int IndexOf(ApprovalTicket ticket, StandIn standIn) => (ticket.StandIns ?? []).ToList().FindLastIndex(s => Same(s, standIn));

    private static bool Same(StandIn a, StandIn b) =>
        DecisionRules.SameApprover(a.Person, b.Person) && DecisionRules.SameApprover(a.For, b.For) && DecisionRules.SameApprover(a.By, b.By) && a.Mode == b.Mode && a.Reason == b.Reason;
}
