using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Inbox;

/// <summary>
/// The caller's away rule: <c>GET/PUT/DELETE /api/me/delegation</c>, and the hand-over of their pending approvals.
/// Whose rule it is comes from the verified credential alone; a body never names the person delegating.
/// </summary>
public sealed class DelegationApi(Delegating delegating)
{
    /// <summary>My away rule.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Delegation")]
    [ProducesResponseType<DelegationView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)]
    [Function(nameof(GetDelegation))]
    public async Task<IResult> GetDelegation([HttpTrigger(AuthorizationLevel.Function, "get", Route = "me/delegation")] HttpRequest request)
    {
        if (PersonOf(request) is not { } person)
        {
            return NotAPerson();
        }

        return await delegating.GetAsync(person, request.HttpContext.RequestAborted) is { } rule
            ? TypedResults.Ok(delegating.View(rule))
            : Problems.Create(StatusCodes.Status404NotFound, "No away rule", $"{person} has no away rule.");
    }

    /// <summary>Set my away rule: from when until when my new approvals go to whom, as well or instead.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Delegation")]
    [EndpointDescription("400: a field is missing or wrong (delegating to yourself is refused); 409: the delegate delegates to you at the same time (a loop). The rule applies to approvals that open while it is active; POST /api/me/delegation/handover passes on the pending ones.")]
    [Consumes(typeof(DelegationRequest), "application/json")]
    [ProducesResponseType<DelegationView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict)]
    [Function(nameof(SetDelegation))]
    public async Task<IResult> SetDelegation([HttpTrigger(AuthorizationLevel.Function, "put", Route = "me/delegation")] HttpRequest request)
    {
        if (PersonOf(request) is not { } person)
        {
            return NotAPerson();
        }

        (DelegationRequest? body, IResult? problem) = await JsonBody.ReadAsync<DelegationRequest>(request, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        (DelegationRule? rule, IReadOnlyList<FieldError> errors, string? conflict) = await delegating.SetAsync(person, body, request.HttpContext.RequestAborted);
        return rule is not null
            ? TypedResults.Ok(delegating.View(rule))
            : conflict is not null
                ? Problems.Create(StatusCodes.Status409Conflict, "That would be a loop", conflict, "to")
                : Problems.Validation(errors);
    }

    /// <summary>Clear my away rule. Approvals already asked of the delegate stay asked of them.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Delegation")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProblemResponses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)]
    [Function(nameof(ClearDelegation))]
    public async Task<IResult> ClearDelegation([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "me/delegation")] HttpRequest request)
    {
        if (PersonOf(request) is not { } person)
        {
            return NotAPerson();
        }

        return await delegating.ClearAsync(person, request.HttpContext.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.Create(StatusCodes.Status404NotFound, "No away rule", $"{person} has no away rule.");
    }

    /// <summary>Hand my pending approvals to the delegate of my active away rule.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Delegation")]
    [EndpointDescription("Each pending approval that asks me for myself and that the rule covers is asked of the delegate too (as-well) or instead of me (instead), and the delegate is emailed their own link. Approvals they may not answer (they requested it, they are asked already, I answer it for someone else) stay as they were and are listed with the reason. 409 without an active rule.")]
    [ProducesResponseType<HandoverResult>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict)]
    [Function(nameof(HandOverApprovals))]
    public async Task<IResult> HandOverApprovals([HttpTrigger(AuthorizationLevel.Function, "post", Route = "me/delegation/handover")] HttpRequest request)
    {
        if (PersonOf(request) is not { } person)
        {
            return NotAPerson();
        }

        return await delegating.HandOverAsync(person, request.HttpContext.RequestAborted) is { } result
            ? TypedResults.Ok(result)
            : Problems.Create(StatusCodes.Status409Conflict, "No active away rule", "Set an away rule that is active now (PUT /api/me/delegation) before handing approvals over; nothing changed.");
    }

    /// <summary>The person calling, or null for an integration (away rules are people's).</summary>
    public static string? PersonOf(HttpRequest request) => Caller.From(request.HttpContext.User) is { IsPerson: true } caller ? caller.Name : null;

    private static ProblemHttpResult NotAPerson() =>
        Problems.Create(StatusCodes.Status403Forbidden, "Not allowed", "Away rules and hand-overs are a person's own: the credential names no person.");
}
