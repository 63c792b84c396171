using System.Globalization;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using HitlFunctions.Pages;
using HitlFunctions.Workflows;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Inbox;

/// <summary>
/// The away page (<c>/api/inbox/away</c>): set or clear my away rule and hand over my pending approvals, from a form
/// that works without a script. Anonymous at the Functions level, since a browser sends no function key: the signed-in
/// session is the credential, and each POST carries ASP.NET Core's antiforgery token bound to it.
/// </summary>
public sealed class AwayPages(Delegating delegating, IDelegationStore store, IApprovalLedger ledger, WorkflowCatalog catalog, IAntiforgery antiforgery, TimeProvider timeProvider)
{
    /// <summary>The away page.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [HtmlPage]
    [Tags("Inbox")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(ShowAwayPage))]
    public async Task<IResult> ShowAwayPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "inbox/away")] HttpRequest request)
    {
        if (Caller.From(request.HttpContext.User) is not { IsPerson: true } caller)
        {
            return PageResults.Message(request.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "The away page is a person's own: sign in as yourself.");
        }

        DelegationRule? rule = await delegating.GetAsync(caller.Name, request.HttpContext.RequestAborted);
        return await this.PageAsync(request, caller, StatusCodes.Status200OK, rule, null, null, [], Values.Of(rule));
    }

    /// <summary>The away page's forms: save, clear, or hand over.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [HtmlPage]
    [Tags("Inbox")]
    [EndpointDescription("The page's forms (application/x-www-form-urlencoded) with the antiforgery token: action=save (to, from, until as yyyy-MM-dd in UTC, mode as-well or instead, workflows), action=clear, action=handover.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(SubmitAwayPage))]
    public async Task<IResult> SubmitAwayPage([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "inbox/away")] HttpRequest request)
    {
        if (Caller.From(request.HttpContext.User) is not { IsPerson: true } caller)
        {
            return PageResults.Message(request.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "The away page is a person's own: sign in as yourself.");
        }

        if (!request.HasFormContentType || !await antiforgery.IsRequestValidAsync(request.HttpContext))
        {
            return PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Please use the away page", "This form did not come from a current away page, so nothing changed. Open the away page again and send it from there.");
        }

        IFormCollection form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        DelegationRule? rule = await delegating.GetAsync(caller.Name, cancellationToken);
        switch (form["action"].ToString())
        {
            case "clear":
                bool cleared = await delegating.ClearAsync(caller.Name, cancellationToken);
                return await this.PageAsync(request, caller, StatusCodes.Status200OK, null, cleared ? "Your away rule is cleared. Approvals already asked of your delegate stay asked of them." : "You had no away rule.", null, [], Values.Of(null));

            case "handover":
                HandoverResult? handover = await delegating.HandOverAsync(caller.Name, cancellationToken);
                return handover is null
                    ? await this.PageAsync(request, caller, StatusCodes.Status409Conflict, rule, "There is no active away rule to hand over to; nothing changed.", null, [], Values.Of(rule))
                    : await this.PageAsync(request, caller, StatusCodes.Status200OK, rule, $"Handed over {handover.HandedOver.Count} approval(s) to {handover.To}, who was emailed a link for each.", handover, [], Values.Of(rule));

            case "save":
                Values entered = new(form["to"].ToString(), form["from"].ToString(), form["until"].ToString(), form["mode"].ToString(), [.. form["workflows"].Select(w => w ?? string.Empty)]);
                (DelegationRequest? body, List<FieldError> dateErrors) = entered.ToRequest(timeProvider.GetUtcNow());
                if (body is null)
                {
                    return await this.PageAsync(request, caller, StatusCodes.Status400BadRequest, rule, null, null, dateErrors, entered);
                }

                (DelegationRule? saved, IReadOnlyList<FieldError> errors, string? conflict) = await delegating.SetAsync(caller.Name, body, cancellationToken);
                return saved is not null
                    ? await this.PageAsync(request, caller, StatusCodes.Status200OK, saved, $"Saved: from {DelegationResolver.Time(saved.Starts)} until {DelegationResolver.Time(saved.Ends)} your new approvals go to {saved.To}.", null, [], Values.Of(saved))
                    : await this.PageAsync(request, caller, conflict is null ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict, rule, null, null, conflict is null ? errors : [new FieldError("to", conflict)], entered);

            default:
                return PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Unknown action", "Press Save, Clear or Hand over on the away page.");
        }
    }

    private async Task<IResult> PageAsync(
        HttpRequest request, Caller caller, int status, DelegationRule? rule, string? message, HandoverResult? handover, IReadOnlyList<FieldError> errors, Values values)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        IReadOnlyList<ApprovalListing> pending = await ledger.ListAsync(new ApprovalQuery(Approver: caller.Name, PendingOnly: true), request.HttpContext.RequestAborted);
        DelegationRule? delegateAway = rule is null ? null : await store.GetAsync(rule.To, request.HttpContext.RequestAborted);
        return PageResults.Page<AwayPage>(request.HttpContext, status, new Dictionary<string, object?>
        {
            [nameof(AwayPage.Person)] = caller.Name,
            [nameof(AwayPage.IsOperator)] = caller.IsOperator,
            [nameof(AwayPage.Rule)] = rule,
            [nameof(AwayPage.DelegateAway)] = delegateAway is not null && delegateAway.IsActive(now) ? delegateAway : null,
            [nameof(AwayPage.Now)] = now,
            [nameof(AwayPage.PendingMine)] = pending.Count(p => Asking.SeatOf(p.Approvers, p.StandIns, caller.Name) is { } seat && DecisionRules.SameApprover(seat, caller.Name)),
            [nameof(AwayPage.Status)] = message,
            [nameof(AwayPage.Handover)] = handover,
            [nameof(AwayPage.Errors)] = errors,
            [nameof(AwayPage.To)] = values.To,
            [nameof(AwayPage.From)] = values.From,
            [nameof(AwayPage.Until)] = values.Until,
            [nameof(AwayPage.Mode)] = values.Mode,
            [nameof(AwayPage.Workflows)] = values.Workflows,
            [nameof(AwayPage.AllWorkflows)] = (IReadOnlyList<string>)[.. catalog.All.Select(d => d.Name).Order(StringComparer.Ordinal)],
        });
    }

    /// <summary>What the form holds: dates as yyyy-MM-dd (UTC days; the last day is included).</summary>
    private sealed record Values(string? To, string? From, string? Until, string? Mode, IReadOnlyCollection<string> Workflows)
    {
        private const string DateFormat = "yyyy-MM-dd";

        public static Values Of(DelegationRule? rule) => rule is null
            ? new(null, null, null, Delegating.AsWell, [])
            : new(rule.To, Day(rule.Starts), Day(rule.Ends.AddTicks(-1)), Delegating.ModeName(rule.Mode), rule.Workflows ?? []);

        public (DelegationRequest? Request, List<FieldError> Errors) ToRequest(DateTimeOffset now)
        {
            List<FieldError> errors = [];
            DateTimeOffset? from = null;
            if (!string.IsNullOrWhiteSpace(this.From))
            {
                from = Parse(this.From);
                if (from is null)
                {
                    errors.Add(new FieldError("from", "Enter the first day as a date."));
                }
            }

            DateTimeOffset? lastDay = Parse(this.Until);
            if (lastDay is null)
            {
                errors.Add(new FieldError("until", "Enter the last day you are away."));
            }

            // A rule that starts today starts now: the hours of today already gone need no delegate.
            DateTimeOffset starts = from is { } day && day > now ? day : now;
            return errors.Count > 0 ? (null, errors) : (new DelegationRequest(this.To, starts, lastDay!.Value.AddDays(1), this.Mode, [.. this.Workflows]), errors);
        }

        private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

        private static DateTimeOffset? Parse(string? text) =>
            DateTime.TryParseExact(text?.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime day)
                ? new DateTimeOffset(day, TimeSpan.Zero)
                : null;
    }
}
