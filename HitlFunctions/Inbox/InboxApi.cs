using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using HitlFunctions.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Inbox;

/// <summary>
/// The approver's inbox in the browser: everything waiting for the signed-in person, one approval with the decision
/// form, many answered at once, and what they decided. For people only (an integration's token gets 403); every form
/// carries ASP.NET Core's antiforgery token, bound to the session, and decides through <see cref="DecisionDelivery"/>
/// like the API.
/// </summary>
public sealed partial class InboxApi(
    IApprovalLedger ledger, InboxReader reader, DecisionDelivery delivery, IAntiforgery antiforgery, TimeProvider timeProvider, ILogger<InboxApi> logger)
{
    /// <summary>The most approvals one bulk answer takes (a page of the inbox).</summary>
    public const int MaxBulk = InboxReader.PageSize;

    private const int MaxFormBytes = 128 * 1024;

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdPattern();

    /// <summary>My pending approvals, soonest deadline first.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Inbox")]
    [QueryParameter("workflow", typeof(string), "Only approvals of this workflow definition.")]
    [QueryParameter("overdue", typeof(bool), "Only approvals past their deadline.")]
    [QueryParameter("after", typeof(string), "The next page's cursor, as the page's \"Next page\" link gives it.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(GetInbox))]
    public async Task<IResult> GetInbox([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "inbox")] HttpRequest request)
    {
        if (Person(request) is not { } caller)
        {
            return PeopleOnly(request);
        }

        string overdue = request.Query["overdue"].ToString();
        if (overdue is not ("" or "true" or "false"))
        {
            return PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Not a filter", "“Overdue only” is true or false.");
        }

        InboxFilter filter = new(
            request.Query["workflow"].ToString() is { Length: > 0 and <= 200 } workflow ? workflow : null,
            overdue == "true",
            request.Query["after"].ToString() is { Length: > 0 and <= 200 } after ? after : null);
        InboxList list = await reader.PendingAsync(caller.Name, filter, request.HttpContext.RequestAborted);
        return PageResults.Page<InboxPage>(request.HttpContext, StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            [nameof(InboxPage.List)] = list,
            [nameof(InboxPage.Filter)] = filter,
            [nameof(InboxPage.Person)] = caller.Name,
            [nameof(InboxPage.IsOperator)] = caller.IsOperator,
            [nameof(InboxPage.Now)] = timeProvider.GetUtcNow(),
            [nameof(InboxPage.Batch)] = Guid.NewGuid().ToString("N"),
        });
    }

    /// <summary>One of my approvals, with the decision form and the audit so far.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Inbox")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(GetInboxApproval))]
    public async Task<IResult> GetInboxApproval([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "inbox/approvals/{approvalId}")] HttpRequest request, string approvalId)
    {
        if (Person(request) is not { } caller)
        {
            return PeopleOnly(request);
        }

        ApprovalRecord? record = await this.MineAsync(approvalId, caller, request.HttpContext.RequestAborted);
        if (record is null)
        {
            return NotFound(request);
        }

        return await this.ClosedAsync(request, caller, record, justNow: false) ?? await this.ApprovalPageAsync(request, caller, record, StatusCodes.Status200OK);
    }

    /// <summary>Decide one of my approvals from its inbox page.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Inbox")]
    [EndpointDescription("The one-approval page's form (application/x-www-form-urlencoded, with its antiforgery token): action (approve, edit, request-changes or reject), edited or field.<name>, comment, proposalHash, formId.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DecideInboxApproval))]
    public async Task<IResult> DecideInboxApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "inbox/approvals/{approvalId}")] HttpRequest request, [DurableClient] DurableTaskClient client, string approvalId)
    {
        if (Person(request) is not { } caller)
        {
            return PeopleOnly(request);
        }

        (IFormCollection? form, IResult? refused) = await this.ReadFormAsync(request);
        if (form is null)
        {
            return refused!;
        }

        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        ApprovalRecord? record = await this.MineAsync(approvalId, caller, cancellationToken);
        if (record is null)
        {
            return NotFound(request);
        }

        if (await this.ClosedAsync(request, caller, record, justNow: false) is { } closed)
        {
            return closed;
        }

        string editedText = form["edited"].ToString();
        string comment = form["comment"].ToString();
        Func<string, string?> fieldValues = name => form[$"field.{name}"].ToString();
        string? action = DecisionFormInput.Action(form);
        if (action is null)
        {
            return await this.ApprovalPageAsync(request, caller, record, StatusCodes.Status400BadRequest, "Choose Approve, Approve with edits, Request changes or Reject.", editedText, comment);
        }

        if (form["proposalHash"].ToString() is { Length: > 0 } seen && seen != ProposalHash.Of(record.Ticket))
        {
            ApprovalRecord latest = await ApprovalsApi.LatestRoundAsync(ledger, record, cancellationToken);
            return PageResults.Message(request.HttpContext, StatusCodes.Status409Conflict, "The proposal changed", $"The page you answered showed another proposal than this request does now, so nothing was recorded. {ApprovalsApi.Standing(latest)}");
        }

        if (action == "request-changes" && string.IsNullOrWhiteSpace(comment))
        {
            return await this.ApprovalPageAsync(request, caller, record, StatusCodes.Status400BadRequest, null, editedText, comment, [new FieldError("comment", "Write in the feedback box what should change, then press “Request changes”.")]);
        }

        JsonElement? edited = null;
        if (action == "edit")
        {
            (edited, string? editError, IReadOnlyList<FieldError> fieldErrors) = DecisionFormInput.ReadEdit(form, record.Ticket);
            if (editError is not null || fieldErrors.Count > 0)
            {
                return await this.ApprovalPageAsync(request, caller, record, StatusCodes.Status400BadRequest, editError, editedText, comment, fieldErrors, fieldValues);
            }
        }

        string verdict = action switch { "reject" => "reject", "request-changes" => "request-changes", _ => "approve" };
        DecisionRequest body = new(verdict, null, edited, string.IsNullOrWhiteSpace(comment) ? null : comment);
        // The person as they are signed in: the ledger answers in their seat, or in the seat they stand in for.
        string approver = caller.Name;
        (DecisionSubmission? submission, IReadOnlyList<FieldError> errors) = ApprovalsApi.ValidateSubmission(body, record, approver, DecisionChannel.Inbox);
        if (submission is null)
        {
            return await this.ApprovalPageAsync(request, caller, record, StatusCodes.Status400BadRequest, string.Join(" ", errors.Select(e => e.Message)), editedText, comment);
        }

        DecisionRecording recording = await delivery.DecideAsync(client, record, submission with { IdempotencyKey = FormKey(form["formId"].ToString()) }, DecisionChannel.Inbox, cancellationToken);
        LogDecided(logger, approvalId, recording.Status);
        return recording switch
        {
            { Status: DecisionRecordingStatus.Accepted, Record: { } now, Decision: { } decision } => await this.RecordedPageAsync(request, caller, now, decision, justNow: true),
            { Status: DecisionRecordingStatus.SelfApproval } => PageResults.Message(
                request.HttpContext, StatusCodes.Status403Forbidden, "Not your own request", "You started this workflow or requested this approval, so your answer cannot count; nothing was recorded."),
            { Record: { } now } => await this.ClosedAsync(request, caller, now, justNow: false) ?? NotFound(request),
            _ => NotFound(request),
        };
    }

    /// <summary>Approve or reject several of my approvals with one comment: each gets its own decision, recorded once.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Inbox")]
    [EndpointDescription("The inbox's form (application/x-www-form-urlencoded, with its antiforgery token): id (repeated, at most 25), action (approve or reject), comment, batch. Approvals that cannot be decided this way are listed with the reason and left as they were.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DecideInboxBulk))]
    public async Task<IResult> DecideInboxBulk([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "inbox/bulk")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        if (Person(request) is not { } caller)
        {
            return PeopleOnly(request);
        }

        (IFormCollection? form, IResult? refused) = await this.ReadFormAsync(request);
        if (form is null)
        {
            return refused!;
        }

        string[] ids = [.. form["id"].Select(id => id ?? string.Empty).Distinct(StringComparer.Ordinal)];
        string action = form["action"].ToString();
        string comment = form["comment"].ToString();
        if (action is not ("approve" or "reject") || ids.Length is 0 or > MaxBulk || comment.Length > ApprovalsApi.MaxCommentLength)
        {
            return PageResults.Message(
                request.HttpContext,
                StatusCodes.Status400BadRequest,
                "Nothing was answered",
                ids.Length == 0 ? "Select at least one approval, then press Approve selected or Reject selected."
                    : ids.Length > MaxBulk ? $"Select at most {MaxBulk} approvals at once."
                    : comment.Length > ApprovalsApi.MaxCommentLength ? $"A comment has at most {ApprovalsApi.MaxCommentLength} characters."
                    : "Press Approve selected or Reject selected.");
        }

        Verdict verdict = action == "approve" ? Verdict.Approve : Verdict.Reject;
        string? key = FormKey(form["batch"].ToString());
        List<BulkResult> results = [];
        foreach (string id in ids)
        {
            results.Add(await this.DecideOneAsync(client, caller, id, verdict, comment, key, request.HttpContext.RequestAborted));
        }

        return PageResults.Page<InboxBulkPage>(request.HttpContext, StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            [nameof(InboxBulkPage.Results)] = results,
            [nameof(InboxBulkPage.Person)] = caller.Name,
            [nameof(InboxBulkPage.IsOperator)] = caller.IsOperator,
        });
    }

    /// <summary>What I decided, with the outcome of each workflow.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Inbox")]
    [QueryParameter("after", typeof(string), "The next page's cursor, as the page's \"Older\" link gives it.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(GetInboxHistory))]
    public async Task<IResult> GetInboxHistory([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "inbox/history")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        if (Person(request) is not { } caller)
        {
            return PeopleOnly(request);
        }

        string? after = request.Query["after"].ToString() is { Length: > 0 and <= 200 } cursor ? cursor : null;
        (IReadOnlyList<HistoryItem> items, string? next) = await reader.HistoryAsync(caller.Name, after, client, request.HttpContext.RequestAborted);
        return PageResults.Page<InboxHistoryPage>(request.HttpContext, StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            [nameof(InboxHistoryPage.Items)] = items,
            [nameof(InboxHistoryPage.Person)] = caller.Name,
            [nameof(InboxHistoryPage.IsOperator)] = caller.IsOperator,
            [nameof(InboxHistoryPage.After)] = after,
            [nameof(InboxHistoryPage.Next)] = next,
        });
    }

    private async Task<BulkResult> DecideOneAsync(DurableTaskClient client, Caller caller, string id, Verdict verdict, string comment, string? key, CancellationToken cancellationToken)
    {
        ApprovalRecord? record = await this.MineAsync(id, caller, cancellationToken);
        if (record is null)
        {
            return new BulkResult(id, id, null, "Not one of your approvals.");
        }

        // A repeat of this very form (a reload, a double click) gets the receipt it got the first time.
        if (key is not null && InboxReader.Mine(record, caller.Name) is { } repeated && repeated.IdempotencyKey == key)
        {
            return new BulkResult(id, record.Ticket.Title, repeated, null);
        }

        if (InboxReader.BulkBlocker(record, caller.Name, verdict, timeProvider.GetUtcNow()) is { } blocker)
        {
            return new BulkResult(id, record.Ticket.Title, null, blocker);
        }

        DecisionRequest body = new(verdict == Verdict.Approve ? "approve" : "reject", null, null, string.IsNullOrWhiteSpace(comment) ? null : comment);
        (DecisionSubmission? submission, IReadOnlyList<FieldError> errors) = ApprovalsApi.ValidateSubmission(body, record, caller.Name, DecisionChannel.Inbox);
        if (submission is null)
        {
            return new BulkResult(id, record.Ticket.Title, null, string.Join(" ", errors.Select(e => e.Message)));
        }

        DecisionRecording recording = await delivery.DecideAsync(client, record, submission with { IdempotencyKey = key }, DecisionChannel.Inbox, cancellationToken);
        LogDecided(logger, id, recording.Status);
        return recording switch
        {
            { Status: DecisionRecordingStatus.Accepted, Decision: { } decision } => new BulkResult(id, record.Ticket.Title, decision, null),
            { Record: { } now } => new BulkResult(id, record.Ticket.Title, null, InboxReader.BulkBlocker(now, caller.Name, verdict, timeProvider.GetUtcNow()) ?? "Not asked at this level any more."),
            _ => new BulkResult(id, record.Ticket.Title, null, "Not one of your approvals."),
        };
    }

    /// <summary>The approval when it asks (or asked) <paramref name="caller"/>, themselves or standing in; null when there is none, or it is not theirs (the same to them).</summary>
    private async Task<ApprovalRecord?> MineAsync(string approvalId, Caller caller, CancellationToken cancellationToken) =>
        IdPattern().IsMatch(approvalId) && await ledger.GetAsync(approvalId, cancellationToken) is { } record
        && Asking.WasAsked(record.Ticket.Approvers, record.Ticket.StandIns, caller.Name)
            ? record
            : null;

    /// <summary>The page of an approval I can no longer answer: my recorded answer, the decision, or where it stands. Null while I can.</summary>
    private async Task<IResult?> ClosedAsync(HttpRequest request, Caller caller, ApprovalRecord record, bool justNow)
    {
        ApprovalDecision? mine = InboxReader.Mine(record, caller.Name);
        if (mine is not null || record.State == ApprovalState.Decided)
        {
            return await this.RecordedPageAsync(request, caller, record, mine ?? record.Decisions[^1], justNow);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        return record.State != ApprovalState.Pending || now > record.Ticket.DueAt || Asking.SeatOf(record.Ticket, caller.Name) is null
            ? PageResults.Message(request.HttpContext, StatusCodes.Status410Gone, "No longer open", InboxReader.BulkBlocker(record, caller.Name, Verdict.Reject, now) ?? "This approval is no longer open.")
            : null;
    }

    private async Task<IResult> RecordedPageAsync(HttpRequest request, Caller caller, ApprovalRecord record, ApprovalDecision decision, bool justNow) =>
        PageResults.Page<InboxRecordedPage>(request.HttpContext, StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            [nameof(InboxRecordedPage.Record)] = record,
            [nameof(InboxRecordedPage.Decision)] = decision,
            [nameof(InboxRecordedPage.JustNow)] = justNow,
            [nameof(InboxRecordedPage.Person)] = caller.Name,
            [nameof(InboxRecordedPage.IsOperator)] = caller.IsOperator,
            [nameof(InboxRecordedPage.Next)] = await reader.NextAsync(caller.Name, record.ApprovalId, request.HttpContext.RequestAborted),
        });

    private async Task<IResult> ApprovalPageAsync(
        HttpRequest request, Caller caller, ApprovalRecord record, int status, string? error = null, string? editedText = null, string? comment = null,
        IReadOnlyList<FieldError>? fieldErrors = null, Func<string, string?>? fieldValues = null)
    {
        IReadOnlyList<string>? escalatedFrom = null;
        if (record.Ticket.Level > 1)
        {
            IReadOnlyList<ApprovalListing> levels = await ledger.ListAsync(new ApprovalQuery(CheckpointId: record.Ticket.CheckpointId, PendingOnly: false), request.HttpContext.RequestAborted);
            escalatedFrom = levels.Where(l => l.Level == record.Ticket.Level - 1 && l.AskedAt <= record.Ticket.AskedAt).MaxBy(l => l.AskedAt)?.Approvers;
        }

        return PageResults.Page<InboxApprovalPage>(request.HttpContext, status, new Dictionary<string, object?>
        {
            [nameof(InboxApprovalPage.Record)] = record,
            [nameof(InboxApprovalPage.Approver)] = DecisionRules.CanonicalApprover(record.Ticket, caller.Name),
            [nameof(InboxApprovalPage.Person)] = caller.Name,
            [nameof(InboxApprovalPage.IsOperator)] = caller.IsOperator,
            [nameof(InboxApprovalPage.Now)] = timeProvider.GetUtcNow(),
            [nameof(InboxApprovalPage.FormId)] = Guid.NewGuid().ToString("N"),
            [nameof(InboxApprovalPage.EscalatedFrom)] = escalatedFrom,
            [nameof(InboxApprovalPage.Error)] = error,
            [nameof(InboxApprovalPage.EditedText)] = editedText,
            [nameof(InboxApprovalPage.Comment)] = comment,
            [nameof(InboxApprovalPage.Errors)] = fieldErrors ?? [],
            [nameof(InboxApprovalPage.FieldValues)] = fieldValues,
        });
    }

    /// <summary>The form, when it is one of this app's pages' forms with a valid antiforgery token for this session; else the refusal.</summary>
    private async Task<(IFormCollection? Form, IResult? Refused)> ReadFormAsync(HttpRequest request)
    {
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true || request.ContentLength > MaxFormBytes)
        {
            return (null, PageResults.Message(request.HttpContext, StatusCodes.Status415UnsupportedMediaType, "Unsupported form", "Send the inbox page's form."));
        }

        try
        {
            FormOptions limits = new() { ValueLengthLimit = MaxFormBytes, ValueCountLimit = 64, KeyLengthLimit = 64, BufferBodyLengthLimit = MaxFormBytes };
            IFormCollection form = await request.ReadFormAsync(limits, request.HttpContext.RequestAborted);
            if (!await antiforgery.IsRequestValidAsync(request.HttpContext))
            {
                LogForged(logger, request.Path);
                return (null, PageResults.Message(
                    request.HttpContext, StatusCodes.Status400BadRequest, "Please use the form again", "This form is out of date or did not come from your inbox, so nothing was recorded. Open the inbox again and answer there."));
            }

            return (form, null);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException or FormatException)
        {
            return (null, PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Unreadable form", "The form could not be read; open the inbox again and resend it."));
        }
    }

    /// <summary>The idempotency key of a form's id (a new one each time the page is shown), or null when it has none.</summary>
    private static string? FormKey(string formId) => IdPattern().IsMatch(formId) ? $"inbox-{formId}" : null;

    private static Caller? Person(HttpRequest request) => Caller.From(request.HttpContext.User) is { IsPerson: true } caller ? caller : null;

    private static RazorComponentResult<MessagePage> PeopleOnly(HttpRequest request) =>
        PageResults.Message(request.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "The inbox is for people: sign in as yourself. Integrations use the API.");

    private static RazorComponentResult<MessagePage> NotFound(HttpRequest request) =>
        PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "Not found", "There is no approval here that asks you.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox decision on approval {ApprovalId}: {Status}")]
    private static partial void LogDecided(ILogger logger, string approvalId, DecisionRecordingStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A form to {Path} without a valid antiforgery token was refused; nothing was recorded")]
    private static partial void LogForged(ILogger logger, string path);
}
