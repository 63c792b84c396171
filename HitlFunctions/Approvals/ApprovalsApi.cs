using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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

    /// <summary>Pending approvals: who is blocking what.</summary>
    /// <remarks>A person lists the approvals that ask them.</remarks>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Approvals")]
    [QueryParameter("approver", typeof(string), "Only approvals that ask this email address.")]
    [QueryParameter("workflowId", typeof(string), "Only approvals of this workflow.")]
    [QueryParameter("overdue", typeof(bool), "Only approvals past their deadline.")]
    [ProducesResponseType<ApprovalSummary[]>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest)]
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

    /// <summary>An approval: its proposal, answers and audit trail.</summary>
    /// <remarks>Someone it does not concern gets 404, as for an unknown id.</remarks>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Approvals")]
    [ProducesResponseType<ApprovalView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status404NotFound)]
    [Function(nameof(GetApproval))]
    public async Task<IResult> GetApproval([HttpTrigger(AuthorizationLevel.Function, "get", Route = "approvals/{approvalId}")] HttpRequest request, string approvalId)
    {
        ApprovalRecord? record = ApprovalIdPattern().IsMatch(approvalId) ? await ledger.GetAsync(approvalId, request.HttpContext.RequestAborted) : null;
        return record is null || !ApprovalAccess.CanRead(Caller.From(request.HttpContext.User)!, record)
            ? Problems.NotFound("Approval", approvalId)
            : TypedResults.Ok(Views.Approval(record, timeProvider.GetUtcNow()));
    }

    /// <summary>Decide an approval.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Approvals")]
    [EndpointDescription("403: not asked at this level; 409: already decided (the decision on record in 'recorded'); 410: timed out, escalated away or cancelled, or the approver handed it to someone else ('handedTo').")]
    [Consumes(typeof(DecisionRequest), "application/json")]
    [ProducesResponseType<DecisionReceipt>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone)]
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

            if (Asking.HandedAway(record.Ticket, approver) is { } handedTo)
            {
                return HandedAway(record, approver, handedTo);
            }

            (DecisionSubmission? submission, IReadOnlyList<FieldError> errors) = ValidateSubmission(body, record, approver, via, via == DecisionChannel.OnBehalf ? caller.Described : null);
            if (submission is null)
            {
                return Problems.Validation(errors);
            }

            if (body.ProposalHash is { } seen && seen.Trim() != ProposalHash.Of(record.Ticket))
            {
                ApprovalRecord latest = await LatestRoundAsync(ledger, record, budget.Token);
                return Problems.Create(
                    StatusCodes.Status409Conflict,
                    "The proposal changed",
                    $"The decision was made on proposal {seen.Trim()}, but approval {approvalId} shows {ProposalHash.Of(record.Ticket)}; nothing was recorded. {Standing(latest)}",
                    "proposalHash",
                    new Dictionary<string, object?> { ["approvalProposalHash"] = ProposalHash.Of(record.Ticket), ["latest"] = Views.Approval(latest, timeProvider.GetUtcNow()).Summary, ["latestProposalHash"] = ProposalHash.Of(latest.Ticket) });
            }

            DecisionRecording recording = await delivery.DecideAsync(client, record, submission with { IdempotencyKey = idempotencyKey }, via, budget.Token);
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

    /// <summary>Raise recorded but undelivered decisions again.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Approvals")]
    [ProducesResponseType<RedeliveryResult>(StatusCodes.Status200OK)]
    [Function(nameof(RedeliverDecisions))]
    public async Task<IResult> RedeliverDecisions([HttpTrigger(AuthorizationLevel.Function, "post", Route = "approvals/redeliver")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        int delivered = await delivery.RedeliverAsync(client, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new RedeliveryResult(delivered));
    }

    /// <summary>The newest approval of <paramref name="record"/>'s workflow step: the latest revision round or escalation level.</summary>
    public static async Task<ApprovalRecord> LatestRoundAsync(IApprovalLedger ledger, ApprovalRecord record, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApprovalRecord> all = await ledger.QueryAsync(new ApprovalQuery(WorkflowId: record.Ticket.WorkflowId, PendingOnly: false), cancellationToken);
        return all.Where(r => r.Ticket.StepName == record.Ticket.StepName).MaxBy(r => (r.Ticket.AskedAt, r.Ticket.Level)) ?? record;
    }

    /// <summary>Where an approval stands, in words, for a refusal that names it.</summary>
    public static string Standing(ApprovalRecord latest) => latest.State == ApprovalState.Pending
        ? $"Now approval {latest.ApprovalId} (\"{latest.Ticket.Title}\") waits for {string.Join(", ", latest.Ticket.Approvers)} with proposal {ProposalHash.Of(latest.Ticket)}."
        : $"The latest approval of this step, {latest.ApprovalId} (\"{latest.Ticket.Title}\"), is {latest.State.ToString().ToLowerInvariant()}.";

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
            "request-changes" => Verdict.RequestChanges,
            _ => null,
        };
        if (verdict is null)
        {
            errors.Add(new FieldError("decision", body.Decision is null ? "'decision' is required: approve, reject or request-changes." : $"'{body.Decision}' is not a decision; use approve, reject or request-changes."));
        }
        else if (verdict == Verdict.RequestChanges && !record.Ticket.AllowRequestChanges)
        {
            errors.Add(new FieldError("decision", "This approval cannot send its proposal back for changes; approve or reject it."));
        }
        else if (verdict == Verdict.RequestChanges && string.IsNullOrWhiteSpace(body.Comment))
        {
            errors.Add(new FieldError("comment", "Say what should change: request-changes needs the feedback in 'comment'."));
        }

        JsonElement? edited = body.Edited is { ValueKind: not JsonValueKind.Null } e ? e : null;
        if (edited is not null && verdict is Verdict.Reject or Verdict.RequestChanges)
        {
            errors.Add(new FieldError("edited", "Edits go with approve, not with reject or request-changes."));
        }
        else if (edited is not null && !record.Ticket.AllowEdits)
        {
            errors.Add(new FieldError("edited", "This approval does not allow edits."));
        }

        if (edited is { } structured && record.Ticket.ProposalSchema is { } schema && errors.Count == 0)
        {
            errors.AddRange(ProposalSchemas.Validate(schema, structured, "edited."));
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

    /// <summary>The 410 for an approver who passed the approval on (reassigned, or an away rule instead of them): to whom it went.</summary>
    private static ProblemHttpResult HandedAway(ApprovalRecord record, string approver, StandIn handedTo)
    {
        string happened = handedTo.Reason == StandInReason.Reassigned
            ? $"{approver} passed this request to {handedTo.Person} on {ApprovalText.Time(handedTo.At)}"
            : $"{approver}'s away rule asked {handedTo.Person} instead";
        return Problems.Create(
            StatusCodes.Status410Gone,
            "No longer yours",
            $"{happened}, so {approver}'s decision was not recorded. {handedTo.Person} answers it on their behalf now.",
            "approver",
            new Dictionary<string, object?> { ["state"] = record.State.ToString(), ["handedTo"] = handedTo.Person, ["reason"] = handedTo.Reason.ToString() });
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
