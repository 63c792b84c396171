using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Approvals;

/// <summary>Handlers of the approval routes, shared by the Functions app and the local host.</summary>
public sealed partial class ApprovalsApi(IApprovalLedger ledger, DecisionDelivery delivery, TimeProvider timeProvider)
{
    /// <summary>The longest comment accepted, in characters.</summary>
    public const int MaxCommentLength = 4000;

    /// <summary>The header that makes a decision POST safe to retry.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// The time a decision request may spend on storage in all (5 seconds), below common 30-second client timeouts;
    /// then it answers 503 with Retry-After.
    /// </summary>
    public static readonly TimeSpan StorageBudget = TimeSpan.FromSeconds(5);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ApprovalIdPattern();

    /// <summary>GET /api/approvals?approver=&amp;workflowId=&amp;overdue=. A person lists the approvals that ask them.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Function(nameof(ListApprovals))]
    public async Task<IResult> ListApprovals([HttpTrigger(AuthorizationLevel.Function, "get", Route = "approvals")] HttpRequest request)
    {
        QueryReader query = new(request.Query);
        string? approver = query.Text("approver");
        string? workflowId = query.Text("workflowId");
        bool overdue = query.Flag("overdue") ?? false;
        if (query.Problem(["approver", "workflowId", "overdue"]) is { } problem)
        {
            return problem;
        }

        Caller caller = Caller.From(request.HttpContext.User)!;
        if (caller.IsPerson && !ApprovalAccess.SeesAll(caller))
        {
            if (approver is not null && !DecisionRules.SameApprover(approver, caller.Name))
            {
                return Problems.Create(StatusCodes.Status403Forbidden, "Not allowed", $"{caller.Name} may list only the approvals that ask them.", "approver");
            }

            approver = caller.Name;
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        ApprovalQuery filter = new(
            Approver: approver,
            WorkflowId: workflowId,
            PendingOnly: true,
            OverdueAt: overdue ? now : null);
        IReadOnlyList<ApprovalListing> approvals = await ledger.ListAsync(filter, request.HttpContext.RequestAborted);
        return TypedResults.Ok(approvals.Where(a => ApprovalAccess.CanRead(caller, a)).Select(a => Views.Summary(a, now)).ToArray());
    }

    /// <summary>GET /api/approvals/{approvalId}. Someone it does not concern gets 404, as for an unknown id.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Function(nameof(GetApproval))]
    public async Task<IResult> GetApproval([HttpTrigger(AuthorizationLevel.Function, "get", Route = "approvals/{approvalId}")] HttpRequest request, string approvalId)
    {
        ApprovalRecord? record = ApprovalIdPattern().IsMatch(approvalId) ? await ledger.GetAsync(approvalId, request.HttpContext.RequestAborted) : null;
        return record is null || !ApprovalAccess.CanRead(Caller.From(request.HttpContext.User)!, record)
            ? Problems.NotFound("Approval", approvalId)
            : TypedResults.Ok(Views.Approval(record, timeProvider.GetUtcNow()));
    }

    /// <summary>
    /// POST /api/approvals/{approvalId}/decision. A person answers for themselves (a body <c>approver</c> must be them);
    /// an integration with the on-behalf role names the approver, and the audit names both.
    /// </summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Function(nameof(SubmitDecision))]
    public async Task<IResult> SubmitDecision([HttpTrigger(AuthorizationLevel.Function, "post", Route = "approvals/{approvalId}/decision")] HttpRequest request, [DurableClient] DurableTaskClient client, string approvalId)
    {
        (DecisionRequest? body, IResult? problem) = await JsonBody.ReadAsync<DecisionRequest>(request, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        string? idempotencyKey = request.Headers[IdempotencyKeyHeader].ToString() is { Length: > 0 } key ? key : null;
        if (idempotencyKey is not null && (idempotencyKey.Length > 100 || idempotencyKey.Any(c => c is < '!' or > '~')))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "The request is invalid", $"An {IdempotencyKeyHeader} has 1 to 100 printable ASCII characters.", IdempotencyKeyHeader);
        }

        using CancellationTokenSource budget = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        budget.CancelAfter(StorageBudget);
        try
        {
            ApprovalRecord? record = ApprovalIdPattern().IsMatch(approvalId) ? await ledger.GetAsync(approvalId, budget.Token) : null;
            if (record is null)
            {
                return Problems.NotFound("Approval", approvalId);
            }

            Caller caller = Caller.From(request.HttpContext.User)!;
            (string? approver, DecisionChannel via, IResult? refused) = ActingApprover(caller, body);
            if (approver is null)
            {
                return refused!;
            }

            (DecisionSubmission? submission, IReadOnlyList<FieldError> errors) = ValidateSubmission(body, record, approver, via, via == DecisionChannel.OnBehalf ? caller.Described : null);
            if (submission is null)
            {
                return Problems.Validation(errors);
            }

            DecisionRecording recording = await delivery.DecideAsync(client, record, submission with { IdempotencyKey = idempotencyKey }, budget.Token);
            return ToResult(recording, approvalId);
        }
        catch (Exception exception) when (!request.HttpContext.RequestAborted.IsCancellationRequested
            && ((exception is OperationCanceledException && budget.IsCancellationRequested) || ExceptionProblems.IsStorageOutage(exception)))
        {
            // The write may have reached storage before the answer was lost: say so, and how to find out.
            request.HttpContext.Response.Headers.RetryAfter = ExceptionProblems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Unavailable(idempotencyKey is null
                ? "Storage did not answer in time; the decision may have been recorded. Send it again: a recorded decision answers 409 with it."
                : $"Storage did not answer in time; the decision may have been recorded. Send it again with the same {IdempotencyKeyHeader}: a recorded decision answers with the same receipt.");
        }
    }

    /// <summary>POST /api/approvals/redeliver: raises recorded but undelivered decisions again.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Function(nameof(RedeliverDecisions))]
    public async Task<IResult> RedeliverDecisions([HttpTrigger(AuthorizationLevel.Function, "post", Route = "approvals/redeliver")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        int delivered = await delivery.RedeliverAsync(client, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new { delivered });
    }

    /// <summary>Whose answer this is: the person calling, or the approver an integration allowed to act on behalf names.</summary>
    private static (string? Approver, DecisionChannel Via, IResult? Refused) ActingApprover(Caller caller, DecisionRequest body)
    {
        string? named = string.IsNullOrWhiteSpace(body.Approver) ? null : body.Approver.Trim();
        if (caller.IsPerson)
        {
            return named is null || DecisionRules.SameApprover(named, caller.Name)
                ? (caller.Name, ApprovalAccess.ChannelOf(caller), null)
                : (null, default, Problems.Create(StatusCodes.Status403Forbidden, "Not allowed", $"{caller.Name} may answer only for themselves, not for {named}.", "approver"));
        }

        if (!caller.Has(HitlRoles.OnBehalf))
        {
            return (null, default, Problems.Create(StatusCodes.Status403Forbidden, "Not allowed", $"{caller.Described} may not record decisions: it needs the {HitlRoles.OnBehalf} role."));
        }

        return named is null
            ? (null, default, Problems.Validation([new FieldError("approver", "'approver' is required: the address of the approver this decision is recorded for.")]))
            : (named, DecisionChannel.OnBehalf, null);
    }

    /// <summary>Checks a decision body against the approval it answers; cleans people's text.</summary>
    /// <param name="approver">The authenticated approver, or the one an allowed integration acts for; never a name the body alone gives.</param>
    public static (DecisionSubmission? Submission, IReadOnlyList<FieldError> Errors) ValidateSubmission(
        DecisionRequest body, ApprovalRecord record, string approver, DecisionChannel via, string? recordedBy = null)
    {
        List<FieldError> errors = [];
        Verdict? verdict = body.Decision?.Trim().ToLowerInvariant() switch
        {
            "approve" => Verdict.Approve,
            "reject" => Verdict.Reject,
            _ => null,
        };
        if (verdict is null)
        {
            errors.Add(new FieldError("decision", body.Decision is null ? "'decision' is required: approve or reject." : $"'{body.Decision}' is not a decision; use approve or reject."));
        }

        JsonElement? edited = body.Edited is { ValueKind: not JsonValueKind.Null } e ? e : null;
        if (edited is not null && verdict == Verdict.Reject)
        {
            errors.Add(new FieldError("edited", "Edits go with approve, not with reject."));
        }
        else if (edited is not null && !record.Ticket.AllowEdits)
        {
            errors.Add(new FieldError("edited", "This approval does not allow edits."));
        }

        if (body.Comment is { Length: > MaxCommentLength })
        {
            errors.Add(new FieldError("comment", $"A comment has at most {MaxCommentLength} characters."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        string? comment = string.IsNullOrWhiteSpace(body.Comment) ? null : TextSanitizer.Clean(body.Comment.Trim());
        return (new DecisionSubmission(approver, verdict!.Value, edited is { } value ? TextSanitizer.Clean(value) : null, comment, via, recordedBy), []);
    }

    private static IResult ToResult(DecisionRecording recording, string approvalId) => recording switch
    {
        { Status: DecisionRecordingStatus.Accepted, Record: { } record, Decision: { } decision } => TypedResults.Ok(Views.Receipt(record, decision)),
        { Status: DecisionRecordingStatus.NotAsked } => Problems.Create(
            StatusCodes.Status403Forbidden, "Not an approver at this level", "The approver was not asked at the current level of this approval.", "approver"),
        { Status: DecisionRecordingStatus.SelfApproval } => Problems.Create(
            StatusCodes.Status403Forbidden, "Not your own request", "Whoever started a workflow or requested its approval cannot approve it (the step does not allow self-approval).", "approver"),
        { Status: DecisionRecordingStatus.AlreadyDecided, Record: { } record, Decision: { } decision } => Problems.Create(
            StatusCodes.Status409Conflict,
            "Already decided",
            record.State == ApprovalState.Decided ? $"This approval was already decided: {Views.Receipt(record, decision).Message}." : $"This approver already answered: {Views.Receipt(record, decision).Message}.",
            extensions: new Dictionary<string, object?> { ["recorded"] = Views.Receipt(record, decision) }),
        { Status: DecisionRecordingStatus.Gone, Record: { } record } => Problems.Create(
            StatusCodes.Status410Gone,
            "No longer open",
            GoneReason(record),
            extensions: new Dictionary<string, object?> { ["state"] = record.State.ToString(), ["workflowUrl"] = $"/api/workflows/{record.Ticket.WorkflowId}" }),
        _ => Problems.NotFound("Approval", approvalId),
    };

    private static string GoneReason(ApprovalRecord record) => record.State switch
    {
        ApprovalState.Escalated => $"This approval's deadline ({record.Ticket.DueAt:u}) passed and it was escalated to the next level.",
        ApprovalState.TimedOut => $"This approval's deadline ({record.Ticket.DueAt:u}) passed with no decision.",
        ApprovalState.Cancelled => "This approval was cancelled with its workflow.",
        _ => $"This approval's deadline ({record.Ticket.DueAt:u}) has passed.",
    };
}
