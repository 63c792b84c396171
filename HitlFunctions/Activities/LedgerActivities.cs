using HitlFunctions.Models;
using HitlFunctions.Services;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Activities;

/// <summary>The checkpoint's writes to the approval ledger. Each is idempotent, since activities run at least once.</summary>
public sealed class LedgerActivities(IApprovalLedger ledger)
{
    [Function(nameof(OpenApproval))]
    public Task OpenApproval([ActivityTrigger] ApprovalTicket ticket) => ledger.OpenAsync(ticket);

    [Function(nameof(CloseApproval))]
    public Task<ApprovalRecord> CloseApproval([ActivityTrigger] CloseApprovalRequest request) =>
        ledger.CloseAsync(request.ApprovalId, request.State, request.Entry);
}

/// <summary>Input of <see cref="LedgerActivities.CloseApproval"/>.</summary>
public sealed record CloseApprovalRequest(string ApprovalId, ApprovalState State, AuditEntry Entry);
