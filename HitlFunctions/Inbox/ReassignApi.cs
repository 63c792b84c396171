using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Inbox;

/// <summary><c>POST /api/approvals/{approvalId}/reassign</c>: a person asked hands one approval to a named colleague, who answers in their place.</summary>
public sealed partial class ReassignApi(Delegating delegating, IApprovalLedger ledger)
{
    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ApprovalIdPattern();

    /// <summary>Reassign an approval that asks me to a colleague.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Approvals")]
    [EndpointDescription("The colleague is asked instead of me, on behalf of the approver I answer for, and emailed their own link; my link stops answering it. 400: no colleague, myself, or the requester / starter; 403: not asked (any more); 409: the colleague is asked already, or the answer is recorded; 410: no longer open.")]
    [Consumes(typeof(ReassignRequest), "application/json")]
    [ProducesResponseType<ReassignedView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone)]
    [Function(nameof(ReassignApproval))]
    public async Task<IResult> ReassignApproval([HttpTrigger(AuthorizationLevel.Function, "post", Route = "approvals/{approvalId}/reassign")] HttpRequest request, string approvalId)
    {
        Caller caller = Caller.From(request.HttpContext.User)!;
        if (!caller.IsPerson)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "Not allowed", "Only a person asked can reassign their approval.");
        }

        (ReassignRequest? body, IResult? problem) = await JsonBody.ReadAsync<ReassignRequest>(request, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        ApprovalRecord? record = ApprovalIdPattern().IsMatch(approvalId) ? await ledger.GetAsync(approvalId, request.HttpContext.RequestAborted) : null;
        if (record is null || !ApprovalAccess.CanRead(caller, record))
        {
            return Problems.NotFound("Approval", approvalId);
        }

        (StandInChange? change, StandIn? standIn, IReadOnlyList<FieldError> errors) = await delegating.ReassignAsync(caller.Name, approvalId, body, request.HttpContext.RequestAborted);
        return change is null ? Problems.Validation(errors) : Result(change, standIn!, approvalId);
    }

    /// <summary>The API's answer to a reassignment the ledger judged.</summary>
    public static IResult Result(StandInChange change, StandIn standIn, string approvalId) => change.Status switch
    {
        StandInStatus.Added or StandInStatus.Repeated => TypedResults.Ok(Delegating.Reassigned(approvalId, standIn)),
        StandInStatus.Self or StandInStatus.Requester => Problems.Validation([new FieldError("to", $"Cannot reassign to {standIn.Person}: {Asking.Describe(change.Status, standIn.Person)}.")]),
        StandInStatus.NotAsked => Problems.Create(StatusCodes.Status403Forbidden, "Not asked", $"Nothing changed: {Asking.Describe(change.Status, standIn.Person)}."),
        StandInStatus.AlreadyAsked or StandInStatus.AlreadyAnswered => Problems.Create(StatusCodes.Status409Conflict, "Cannot reassign", $"Nothing changed: {Asking.Describe(change.Status, standIn.Person)}.", "to"),
        StandInStatus.Closed => Problems.Create(StatusCodes.Status410Gone, "No longer open", "This approval is no longer open, so it cannot be reassigned."),
        _ => Problems.NotFound("Approval", approvalId),
    };
}
