using System.Text.Json;
using HitlFunctions.Approvals;

namespace HitlFunctions.Links;

/// <summary>What a link shows a JSON client.</summary>
/// <param name="State">open (the form may be posted), or the approval's state.</param>
/// <param name="FormNonce">For an open approval: the nonce to post with the form.</param>
/// <param name="Recorded">The recorded answer, once there is one.</param>
/// <param name="ProposalHash">The hash of the proposal shown; post it back as <c>proposalHash</c>.</param>
/// <param name="OnBehalfOf">For a stand-in (a delegate, a colleague it was reassigned to): the approver whose answer theirs is.</param>
public sealed record LinkView(
    string State,
    string ApprovalId,
    string Title,
    JsonElement Proposal,
    string? Context,
    IReadOnlyList<string> Approvers,
    string? You,
    int Level,
    DateTimeOffset DueAt,
    IReadOnlyList<string> Actions,
    string? FormNonce,
    DecisionReceipt? Recorded,
    string? ProposalHash = null,
    string? OnBehalfOf = null)
{
    public static LinkView Open(ApprovalRecord record, string approver, LinkActions actions, string nonce) => new(
        "open",
        record.ApprovalId,
        record.Ticket.Title,
        record.Ticket.Proposal,
        record.Ticket.Context,
        Asking.AskedNow(record.Ticket),
        approver,
        record.Ticket.Level,
        record.Ticket.DueAt,
        [.. new[] { (LinkActions.Approve, "approve"), (LinkActions.ApproveWithEdits, "edit"), (LinkActions.RequestChanges, "request-changes"), (LinkActions.Reject, "reject") }
            .Where(a => actions.HasFlag(a.Item1) && LinkOffers.Offers(record.Ticket, a.Item1)).Select(a => a.Item2)],
        nonce,
        null,
        Approvals.ProposalHash.Of(record.Ticket),
        Asking.StandingIn(record.Ticket, approver)?.For);

    public static LinkView Closed(ApprovalRecord record, DecisionReceipt receipt) => new(
        record.State.ToString(), record.ApprovalId, record.Ticket.Title, record.Ticket.Proposal, record.Ticket.Context, record.Ticket.Approvers, null,
        record.Ticket.Level, record.Ticket.DueAt, [], null, receipt);
}
