using HitlFunctions.Approvals;

namespace HitlFunctions.Links;

/// <summary>What an approval itself offers, beside what a link allows.</summary>
public static class LinkOffers
{
    /// <summary>Whether the approval itself offers <paramref name="action"/> (the link may allow more than a ticket does).</summary>
    public static bool Offers(ApprovalTicket ticket, LinkActions action) => action switch
    {
        LinkActions.ApproveWithEdits => ticket.AllowEdits,
        LinkActions.RequestChanges => ticket.AllowRequestChanges,
        _ => true,
    };

    /// <summary>Whether a link with <paramref name="actions"/> may answer <paramref name="ticket"/> with <paramref name="action"/>.</summary>
    public static bool Allows(LinkActions actions, ApprovalTicket ticket, LinkActions action) => actions.HasFlag(action) && Offers(ticket, action);
}
