using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Pages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Links;

/// <summary>
/// Handlers of the emailed-link routes. GET and HEAD show a confirmation page and change nothing; only a POST of that
/// page's form (token and form nonce in the body, same-origin) records an answer, through <see cref="DecisionDelivery"/>.
/// Browsers get HTML; clients that accept only JSON get JSON and problem+json.
/// </summary>
public sealed class LinksApi(
    IApprovalLedger ledger,
    DecisionDelivery delivery,
    LinkTokens tokens,
    FailureRateLimiter limiter,
    LinkBaseUrl baseUrl,
    IOptions<LinkOptions> options,
    TimeProvider timeProvider,
    ILogger<LinksApi> logger)
{
    /// <summary>The largest form accepted, in bytes.</summary>
    public const int MaxFormBytes = 128 * 1024;

    /// <summary>The words of the uniform refusal: the same for a bad, expired, misdirected or unknown link.</summary>
    public const string RefusedDetail = "The link is not valid or has expired. Open the most recent email about this request, or ask the person who sent it.";

    /// <summary>The page behind an emailed link.</summary>
    // Emailed links are anonymous at the Functions level: the signed link token is the credential (a function key
    // in an email would be a shared secret anyone could forward).
    [AllowAnonymous]
    [Tags("Links")]
    [EndpointDescription("Shows the approval and the answer form; changes nothing. Browsers get the page as text/html; callers that accept only application/json get this view. An unknown, bad or expired token answers 404 like any other.")]
    [ProducesResponseType<LinkView>(StatusCodes.Status200OK, "application/json")]
    [ProblemResponses(StatusCodes.Status404NotFound, StatusCodes.Status410Gone)]
    [Function(nameof(ShowLink))]
    public async Task<IResult> ShowLink([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "links/{token}")] HttpRequest request, string token)
    {
        Stopwatch elapsed = Stopwatch.StartNew();
        PageResults.SetPageHeaders(request.HttpContext.Response);
        try
        {
            (Link? link, IResult? refusal) = await this.ResolveAsync(request, token, elapsed);
            if (link is null)
            {
                return refusal!;
            }

            if (await this.ClosedAsync(request, link, justNow: false) is { } closed)
            {
                return closed;
            }

            string nonce = tokens.IssueFormNonce(token);
            return WantsJson(request)
                ? TypedResults.Json(LinkView.Open(link.Record, link.Approver, link.Claims.Actions, nonce), HitlJson.Output)
                : this.ConfirmPage(StatusCodes.Status200OK, link, token, nonce);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return this.Failure(request, exception);
        }
    }

    /// <summary>Answer from an emailed link's page.</summary>
    [AllowAnonymous]
    [Tags("Links")]
    [EndpointDescription("The page's form, application/x-www-form-urlencoded: token, nonce, action (approve, edit or reject), edited, comment. Browsers get the answer as a text/html page.")]
    [ProducesResponseType<LinkView>(StatusCodes.Status200OK, "application/json")]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status410Gone)]
    [Function(nameof(SubmitLink))]
    public async Task<IResult> SubmitLink([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        Stopwatch elapsed = Stopwatch.StartNew();
        PageResults.SetPageHeaders(request.HttpContext.Response);
        try
        {
            if (this.CrossSite(request) is { } crossSite)
            {
                return crossSite;
            }

            (IFormCollection? form, IResult? badForm) = await ReadFormAsync(request);
            if (form is null)
            {
                return badForm!;
            }

            string token = form["token"].ToString();
            (Link? link, IResult? refusal) = await this.ResolveAsync(request, token, elapsed);
            if (link is null)
            {
                return refusal!;
            }

            if (!tokens.VerifyFormNonce(token, form["nonce"].ToString(), options.Value.FormLifetime))
            {
                this.LogRefused(request, token, "form nonce missing, forged or expired");
                return Message(request, StatusCodes.Status403Forbidden, "Please use the approval page", "This answer did not come from a current approval page, so nothing was recorded. Open the link from your email again and answer there.");
            }

            if (await this.ClosedAsync(request, link, justNow: false) is { } closed)
            {
                return closed;
            }

            LinkActions wanted = DecisionFormInput.Action(form) switch
            {
                "approve" => LinkActions.Approve,
                "reject" => LinkActions.Reject,
                "edit" => LinkActions.ApproveWithEdits,
                "request-changes" => LinkActions.RequestChanges,
                _ => LinkActions.None,
            };
            string editedText = form["edited"].ToString();
            string comment = form["comment"].ToString();
            if (wanted == LinkActions.None)
            {
                return this.FormError(request, link, token, "Choose Approve, Approve with edits, Request changes or Reject.", editedText, comment);
            }

            if (form["proposalHash"].ToString() is { Length: > 0 } seen && seen != ProposalHash.Of(link.Record.Ticket))
            {
                ApprovalRecord latest = await ApprovalsApi.LatestRoundAsync(ledger, link.Record, request.HttpContext.RequestAborted);
                this.LogRefused(request, token, "proposal hash differs");
                return Message(request, StatusCodes.Status409Conflict, "The proposal changed", $"The page you answered showed another proposal than this request does now, so nothing was recorded. {ApprovalsApi.Standing(latest)}");
            }

            if (wanted == LinkActions.RequestChanges && string.IsNullOrWhiteSpace(comment))
            {
                return this.FormError(request, link, token, null, editedText, comment, [new FieldError("comment", "Write in the feedback box what should change, then press “Request changes”.")]);
            }

            if (!LinkOffers.Allows(link.Claims.Actions, link.Record.Ticket, wanted))
            {
                this.LogRefused(request, token, "action not allowed by the link");
                return Message(request, StatusCodes.Status403Forbidden, "Not allowed", "This link does not allow that answer; nothing was recorded.");
            }

            JsonElement? edited = null;
            if (wanted == LinkActions.ApproveWithEdits)
            {
                (edited, string? editError, IReadOnlyList<FieldError> fieldErrors) = DecisionFormInput.ReadEdit(form, link.Record.Ticket);
                if (editError is not null || fieldErrors.Count > 0)
                {
                    return this.FormError(request, link, token, editError, editedText, comment, fieldErrors, name => form[$"field.{name}"].ToString());
                }
            }

            string verdict = wanted switch { LinkActions.Reject => "reject", LinkActions.RequestChanges => "request-changes", _ => "approve" };
            DecisionRequest body = new(verdict, null, edited, string.IsNullOrWhiteSpace(comment) ? null : comment);
            (DecisionSubmission? submission, IReadOnlyList<FieldError> errors) = ApprovalsApi.ValidateSubmission(body, link.Record, link.Approver, DecisionChannel.Link);
            if (submission is null)
            {
                return this.FormError(request, link, token, string.Join(" ", errors.Select(e => e.Message)), editedText, comment);
            }

            DecisionRecording recording = await delivery.DecideAsync(client, link.Record, submission, DecisionChannel.Link, request.HttpContext.RequestAborted);
            string fingerprint = LinkTokens.Fingerprint(token);
            LinkLog.Decided(logger, fingerprint, link.Record.ApprovalId, recording.Status);

            return recording switch
            {
                { Status: DecisionRecordingStatus.Accepted, Record: { } record, Decision: { } decision } => Recorded(request, record, decision, justNow: true),
                { Status: DecisionRecordingStatus.SelfApproval } => Message(request, StatusCodes.Status403Forbidden, "Not your own request", "You started this workflow or requested this approval, so your answer cannot count; nothing was recorded."),
                { Record: { } record } => await this.ClosedAsync(request, link with { Record = record }, justNow: false)
                    ?? await this.RefuseAsync(request, token, "not asked", elapsed, countsTowardLimit: false),
                _ => await this.RefuseAsync(request, token, "approval vanished", elapsed, countsTowardLimit: false),
            };
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return this.Failure(request, exception);
        }
    }

    /// <summary>
    /// Verifies the token and matches it to the live ledger: approval, level and approver. Only tokens that do not
    /// verify count toward the client's limit, and only they are held back by it: guessing is bounded, while a person
    /// with a valid link is never locked out by refusals from the same address (a proxy, a NAT, a scanner).
    /// </summary>
    private async Task<(Link? Link, IResult? Refusal)> ResolveAsync(HttpRequest request, string? token, Stopwatch elapsed)
    {
        LinkClaims? claims = tokens.Verify(token);
        if (claims is null)
        {
            if (limiter.RetryAfter(ClientOf(request)) is { } wait)
            {
                request.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return (null, Message(request, StatusCodes.Status429TooManyRequests, "Too many attempts", "Too many links from this address were refused. Wait a few minutes and try again."));
            }

            return (null, await this.RefuseAsync(request, token, "bad signature, shape or expiry", elapsed, countsTowardLimit: true));
        }

        ApprovalRecord? record = await ledger.GetAsync(claims.ApprovalId, request.HttpContext.RequestAborted);
        string? approver = record is null || record.Ticket.Level != claims.Level ? null : Asking.AskedNow(record.Ticket).FirstOrDefault(claims.IsFor);
        if (approver is null && record?.Ticket.Level == claims.Level
            && record.Ticket.Approvers.Concat((record.Ticket.StandIns ?? []).Select(s => s.Person)).FirstOrDefault(claims.IsFor) is { } former
            && Asking.HandedAway(record.Ticket, former) is { } handedTo)
        {
            // A valid link of someone who handed this approval on: not a guess, so it says where the approval went.
            this.LogRefused(request, token, "handed over");
            return (null, HandedOver(request, record, handedTo));
        }

        if (approver is null)
        {
            string reason = record is null ? "unknown approval" : record.Ticket.Level != claims.Level ? "wrong level" : "wrong approver";
            return (null, await this.RefuseAsync(request, token, reason, elapsed, countsTowardLimit: false));
        }

        return (new Link(claims, record!, approver, request.HttpContext), null);
    }

    private static IResult HandedOver(HttpRequest request, ApprovalRecord record, StandIn handedTo)
    {
        string happened = handedTo.Reason == StandInReason.Reassigned
            ? $"You passed this request to {handedTo.Person} on {ApprovalText.Time(handedTo.At)}, so this link no longer answers it."
            : $"Your away rule asked {handedTo.Person} instead of you, so this link no longer answers it.";
        string stands = $"{handedTo.Person} answers it on your behalf now.";
        return WantsJson(request)
            ? Problems.Create(StatusCodes.Status410Gone, "No longer yours", $"{happened} {stands}", extensions: new Dictionary<string, object?> { ["state"] = record.State.ToString(), ["standing"] = stands })
            : GonePage(request, record, happened, stands);
    }

    /// <summary>The 410 page: what happened to the approval and where it stands now.</summary>
    private static RazorComponentResult<LinkGonePage> GonePage(HttpRequest request, ApprovalRecord record, string happened, string stands) =>
        PageResults.Page<LinkGonePage>(request.HttpContext, StatusCodes.Status410Gone, new Dictionary<string, object?>
        {
            [nameof(LinkGonePage.Title)] = record.Ticket.Title,
            [nameof(LinkGonePage.Happened)] = happened,
            [nameof(LinkGonePage.Stands)] = stands,
        });

    /// <summary>The page for an approval this link can no longer answer: the recorded answer, or 410 with where it stands. Null while it is open.</summary>
    private async Task<IResult?> ClosedAsync(HttpRequest request, Link link, bool justNow)
    {
        ApprovalRecord record = link.Record;
        string seat = Asking.SeatOf(record.Ticket, link.Approver) ?? link.Approver;
        ApprovalDecision? mine = record.Decisions.FirstOrDefault(d => DecisionRules.SameApprover(d.Approver, seat));
        if (mine is not null)
        {
            return Recorded(request, record, mine, justNow);
        }

        if (record.State == ApprovalState.Decided)
        {
            return Recorded(request, record, record.Decisions[^1], justNow: false);
        }

        if (record.State == ApprovalState.Pending && timeProvider.GetUtcNow() <= record.Ticket.DueAt)
        {
            return null;
        }

        (string happened, string stands) = await this.WhereItStandsAsync(record, request.HttpContext.RequestAborted);
        if (WantsJson(request))
        {
            return Problems.Create(StatusCodes.Status410Gone, "No longer open", $"{happened} {stands}", extensions: new Dictionary<string, object?> { ["state"] = record.State.ToString(), ["standing"] = stands });
        }

        return GonePage(request, record, happened, stands);
    }

    private async Task<(string Happened, string Stands)> WhereItStandsAsync(ApprovalRecord record, CancellationToken cancellationToken)
    {
        string happened = record.State switch
        {
            ApprovalState.Escalated => $"No answer came by the deadline ({ApprovalText.Time(record.Ticket.DueAt)}), so the request was passed on to the next level.",
            ApprovalState.TimedOut => $"No answer came by the last deadline ({ApprovalText.Time(record.Ticket.DueAt)}).",
            ApprovalState.Cancelled => "The workflow was cancelled, so no answer is needed any more.",
            _ => $"The deadline ({ApprovalText.Time(record.Ticket.DueAt)}) has passed.",
        };

        IReadOnlyList<ApprovalRecord> levels = await ledger.QueryAsync(new ApprovalQuery(WorkflowId: record.Ticket.WorkflowId, PendingOnly: false), cancellationToken);
        ApprovalRecord? latest = levels
            .Where(r => r.Ticket.CheckpointId == record.Ticket.CheckpointId)
            .MaxBy(r => r.Ticket.Level);
        string stands = latest is null || latest.ApprovalId == record.ApprovalId
            ? record.State switch
            {
                ApprovalState.TimedOut => "The workflow went on according to its timeout rule.",
                ApprovalState.Cancelled => "Nothing more is asked.",
                _ => "The workflow is deciding what happens next.",
            }
            : latest.State switch
            {
                ApprovalState.Pending => $"Now level {latest.Ticket.Level} is asked: {string.Join(", ", latest.Ticket.Approvers)}, until {ApprovalText.Time(latest.Ticket.DueAt)}.",
                ApprovalState.Decided when latest.Decisions.Count > 0 => $"Level {latest.Ticket.Level} answered: {ApprovalText.ReceiptText(latest.Decisions[^1])}.",
                ApprovalState.Cancelled => $"Level {latest.Ticket.Level} was asked, then the workflow was cancelled.",
                _ => $"Level {latest.Ticket.Level} was asked and did not answer in time.",
            };
        return (happened, stands);
    }

    private async Task<IResult> RefuseAsync(HttpRequest request, string? token, string reason, Stopwatch elapsed, bool countsTowardLimit)
    {
        string client = ClientOf(request);
        if (countsTowardLimit && limiter.RecordFailure(client))
        {
            LinkLog.RateLimited(logger, client);
        }

        this.LogRefused(request, token, reason);

        // Every refusal takes at least the floor, whatever the reason, so timing does not tell them apart.
        TimeSpan rest = options.Value.RefusalFloor - elapsed.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, request.HttpContext.RequestAborted);
        }

        return WantsJson(request)
            ? Problems.Create(StatusCodes.Status404NotFound, "Link not valid", RefusedDetail)
            : PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "This link is not valid", RefusedDetail);
    }

    /// <summary>
    /// Refuses a form that a browser says came from another page than ours. The pages send
    /// <c>Referrer-Policy: same-origin</c>, so browsers name our origin in the Origin header of the form's POST; under
    /// <c>no-referrer</c> they send <c>Origin: null</c> instead, which cannot be told from a sandboxed or data: page of
    /// another site, so "null" is refused. Clients that are not browsers send neither header; for them, and as the second
    /// defence for everyone, the form nonce bound to the token is what counts.
    /// </summary>
    private IResult? CrossSite(HttpRequest request)
    {
        if (!SameSiteForms.IsCrossSite(request, baseUrl.Origin))
        {
            return null;
        }

        this.LogRefused(request, null, "cross-site post");
        return Message(request, StatusCodes.Status403Forbidden, "Please use the approval page", "This answer was sent from another site, so nothing was recorded. Open the link from your email and answer there.");
    }

    private static async Task<(IFormCollection? Form, IResult? Problem)> ReadFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, Message(request, StatusCodes.Status415UnsupportedMediaType, "Unsupported form", "Send the approval page's form (application/x-www-form-urlencoded)."));
        }

        if (request.ContentLength > MaxFormBytes)
        {
            return (null, Message(request, StatusCodes.Status413PayloadTooLarge, "Too large", $"The form may be at most {MaxFormBytes / 1024} KiB."));
        }

        try
        {
            FormOptions limits = new() { ValueLengthLimit = MaxFormBytes, ValueCountLimit = 32, KeyLengthLimit = 64, BufferBodyLengthLimit = MaxFormBytes };
            return (await request.ReadFormAsync(limits, request.HttpContext.RequestAborted), null);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException or FormatException)
        {
            return (null, Message(request, StatusCodes.Status400BadRequest, "Unreadable form", "The form could not be read; open the link again and resend it."));
        }
    }

    private IResult FormError(
        HttpRequest request, Link link, string token, string? error, string editedText, string comment, IReadOnlyList<FieldError>? fieldErrors = null, Func<string, string?>? fieldValues = null) =>
        WantsJson(request)
            ? (error is null ? Problems.Validation(fieldErrors!) : Problems.Create(StatusCodes.Status400BadRequest, "The answer is invalid", error))
            : this.ConfirmPage(StatusCodes.Status400BadRequest, link, token, tokens.IssueFormNonce(token), error, editedText, comment, fieldErrors, fieldValues);

    private RazorComponentResult<LinkConfirmPage> ConfirmPage(
        int status, Link link, string token, string nonce, string? error = null, string? editedText = null, string? comment = null, IReadOnlyList<FieldError>? fieldErrors = null, Func<string, string?>? fieldValues = null)
    {
        ApprovalTicket ticket = link.Record.Ticket;
        LinkActions actions = link.Claims.Actions;
        return PageResults.Page<LinkConfirmPage>(link.Request, status, new Dictionary<string, object?>
        {
            [nameof(LinkConfirmPage.Record)] = link.Record,
            [nameof(LinkConfirmPage.Approver)] = link.Approver,
            [nameof(LinkConfirmPage.Token)] = token,
            [nameof(LinkConfirmPage.Nonce)] = nonce,
            [nameof(LinkConfirmPage.Now)] = timeProvider.GetUtcNow(),
            [nameof(LinkConfirmPage.Approve)] = LinkOffers.Allows(actions, ticket, LinkActions.Approve),
            [nameof(LinkConfirmPage.Edit)] = LinkOffers.Allows(actions, ticket, LinkActions.ApproveWithEdits),
            [nameof(LinkConfirmPage.RequestChanges)] = LinkOffers.Allows(actions, ticket, LinkActions.RequestChanges),
            [nameof(LinkConfirmPage.Reject)] = LinkOffers.Allows(actions, ticket, LinkActions.Reject),
            [nameof(LinkConfirmPage.Error)] = error,
            [nameof(LinkConfirmPage.EditedText)] = editedText,
            [nameof(LinkConfirmPage.Comment)] = comment,
            [nameof(LinkConfirmPage.Errors)] = fieldErrors ?? [],
            [nameof(LinkConfirmPage.FieldValues)] = fieldValues,
        });
    }

    private static IResult Recorded(HttpRequest request, ApprovalRecord record, ApprovalDecision decision, bool justNow) =>
        WantsJson(request)
            ? TypedResults.Json(LinkView.Closed(record, Views.Receipt(record, decision)), HitlJson.Output)
            : PageResults.Page<LinkRecordedPage>(request.HttpContext, StatusCodes.Status200OK, new Dictionary<string, object?>
            {
                [nameof(LinkRecordedPage.Record)] = record,
                [nameof(LinkRecordedPage.Decision)] = decision,
                [nameof(LinkRecordedPage.JustNow)] = justNow,
            });

    private IResult Failure(HttpRequest request, Exception exception)
    {
        int status = ExceptionProblems.Handle(request.HttpContext, exception, logger, loggedPath: "/api/links").StatusCode;
        return Message(request, status, "Please try again shortly", "The service could not handle this right now; nothing was recorded. Try again in a minute.");
    }

    private static IResult Message(HttpRequest request, int status, string title, string detail) =>
        WantsJson(request) ? Problems.Create(status, title, detail) : PageResults.Message(request.HttpContext, status, title, detail);

    private void LogRefused(HttpRequest request, string? token, string reason)
    {
        string fingerprint = LinkTokens.Fingerprint(token);
        string client = ClientOf(request);
        LinkLog.Refused(logger, fingerprint, reason, client);
    }

    private static bool WantsJson(HttpRequest request)
    {
        string accept = request.Headers.Accept.ToString();
        return accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The client's address: the connection's, as the forwarded-headers middleware set it from trusted proxies' hops.</summary>
    private static string ClientOf(HttpRequest request) => request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private sealed record Link(LinkClaims Claims, ApprovalRecord Record, string Approver, HttpContext Request);
}
