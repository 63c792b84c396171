using HitlFunctions.Identity;

namespace HitlFunctions.Approvals;

/// <summary>Who may see an approval: the people it asks or asked (stand-ins too), the integration that started its workflow, and operators.</summary>
public static class ApprovalAccess
{
    /// <summary>Operators, and integrations that record decisions on behalf of approvers, see every approval.</summary>
    public static bool SeesAll(Caller caller) => caller.IsOperator || (!caller.IsPerson && caller.Has(HitlRoles.OnBehalf));

    public static bool CanRead(Caller caller, ApprovalRecord record) => CanRead(caller, record.Ticket.Approvers, record.Ticket.StandIns, record.Ticket.StartedBy);

    public static bool CanRead(Caller caller, ApprovalListing listing) => CanRead(caller, listing.Approvers, listing.StandIns, listing.StartedBy);

    private static bool CanRead(Caller caller, IReadOnlyList<string> approvers, IReadOnlyList<StandIn>? standIns, string? startedBy) =>
        SeesAll(caller)
        || (caller.IsPerson
            ? Asking.WasAsked(approvers, standIns, caller.Name)
            : startedBy is { } starter && string.Equals(starter, caller.Name, StringComparison.Ordinal));

    /// <summary>How a person's own answer arrived: a signed-in page (session cookie) or their token.</summary>
    public static DecisionChannel ChannelOf(Caller caller) => caller.Scheme == HitlSchemes.Cookie ? DecisionChannel.Page : DecisionChannel.Api;
}
