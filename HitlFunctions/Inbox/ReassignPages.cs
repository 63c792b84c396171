using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using HitlFunctions.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Inbox;

/// <summary>The reassign page of one approval (<c>/api/inbox/approvals/{approvalId}/reassign</c>), for the person asked; its POST carries the antiforgery token.</summary>
public sealed partial class ReassignPages(Delegating delegating, IApprovalLedger ledger, IAntiforgery antiforgery, TimeProvider timeProvider)
{
    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ApprovalIdPattern();

    /// <summary>The reassign form.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [HtmlPage]
    [Tags("Inbox")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(ShowReassignPage))]
    public async Task<IResult> ShowReassignPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "inbox/approvals/{approvalId}/reassign")] HttpRequest request, string approvalId)
    {
        (Caller? caller, ApprovalRecord? record, IResult? refused) = await this.OpenAsync(request, approvalId);
        return refused ?? Form(request, caller!, record!, StatusCodes.Status200OK, [], null, null);
    }

    /// <summary>Reassigns the approval to the colleague the form names.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [HtmlPage]
    [Tags("Inbox")]
    [EndpointDescription("The page's form (application/x-www-form-urlencoded) with the antiforgery token: to, comment.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(SubmitReassignPage))]
    public async Task<IResult> SubmitReassignPage([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "inbox/approvals/{approvalId}/reassign")] HttpRequest request, string approvalId)
    {
        if (!request.HasFormContentType || !await antiforgery.IsRequestValidAsync(request.HttpContext))
        {
            return PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Please use the reassign page", "This form did not come from a current reassign page, so nothing changed. Open it again and send it from there.");
        }

        (Caller? caller, ApprovalRecord? record, IResult? refused) = await this.OpenAsync(request, approvalId);
        if (refused is not null)
        {
            return refused;
        }

        IFormCollection form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        string to = form["to"].ToString();
        string comment = form["comment"].ToString();
        (StandInChange? change, StandIn? standIn, IReadOnlyList<FieldError> errors) = await delegating.ReassignAsync(caller!.Name, approvalId, new ReassignRequest(to, comment), request.HttpContext.RequestAborted);
        return change switch
        {
            null => Form(request, caller, record!, StatusCodes.Status400BadRequest, errors, to, comment),
            { Status: StandInStatus.Added or StandInStatus.Repeated } => PageResults.Message(request.HttpContext, StatusCodes.Status200OK, "Reassigned", Delegating.Reassigned(approvalId, standIn!).Message),
            { Status: StandInStatus.Self or StandInStatus.Requester or StandInStatus.AlreadyAsked or StandInStatus.AlreadyAnswered } =>
                Form(request, caller, change.Record ?? record!, change.Status == StandInStatus.AlreadyAnswered ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
                    [new FieldError("to", $"Cannot reassign to {standIn!.Person}: {Asking.Describe(change.Status, standIn.Person)}.")], to, comment),
            { Status: StandInStatus.Closed } => PageResults.Message(request.HttpContext, StatusCodes.Status410Gone, "No longer open", "This approval is no longer open, so nothing was reassigned."),
            _ => PageResults.Message(request.HttpContext, StatusCodes.Status403Forbidden, "Not yours to reassign", $"Nothing changed: {Asking.Describe(change.Status, caller.Name)}."),
        };
    }

    /// <summary>The caller and the approval, or the page that refuses: not a person, unknown or not theirs, or no longer asking them.</summary>
    private async Task<(Caller? Caller, ApprovalRecord? Record, IResult? Refused)> OpenAsync(HttpRequest request, string approvalId)
    {
        if (Caller.From(request.HttpContext.User) is not { IsPerson: true } caller)
        {
            return (null, null, PageResults.Message(request.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "Only a person asked can reassign their approval."));
        }

        ApprovalRecord? record = ApprovalIdPattern().IsMatch(approvalId) ? await ledger.GetAsync(approvalId, request.HttpContext.RequestAborted) : null;
        if (record is null || !ApprovalAccess.CanRead(caller, record))
        {
            return (caller, null, PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "Not found", "There is no such approval for you."));
        }

        if (record.State != ApprovalState.Pending || timeProvider.GetUtcNow() > record.Ticket.DueAt)
        {
            return (caller, record, PageResults.Message(request.HttpContext, StatusCodes.Status410Gone, "No longer open", "This approval is no longer open, so it cannot be reassigned."));
        }

        return Asking.SeatOf(record.Ticket, caller.Name) is null
            ? (caller, record, PageResults.Message(request.HttpContext, StatusCodes.Status403Forbidden, "No longer yours", Asking.HandedAway(record.Ticket, caller.Name) is { } handed
                ? $"You passed this approval to {handed.Person}; they answer it now."
                : "This approval does not ask you."))
            : (caller, record, null);
    }

    private static RazorComponentResult<ReassignPage> Form(HttpRequest request, Caller caller, ApprovalRecord record, int status, IReadOnlyList<FieldError> errors, string? to, string? comment) =>
        PageResults.Page<ReassignPage>(request.HttpContext, status, new Dictionary<string, object?>
        {
            [nameof(ReassignPage.Person)] = caller.Name,
            [nameof(ReassignPage.IsOperator)] = caller.IsOperator,
            [nameof(ReassignPage.Record)] = record,
            [nameof(ReassignPage.Errors)] = errors,
            [nameof(ReassignPage.To)] = to,
            [nameof(ReassignPage.Comment)] = comment,
        });
}
