using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>Maps ledger records to API views.</summary>
public static class Views
{
    public static ApprovalSummary Summary(ApprovalRecord record, DateTimeOffset now) => Summary(ApprovalListing.Of(record), now);

    public static ApprovalSummary Summary(ApprovalListing approval, DateTimeOffset now) => new(
        approval.ApprovalId,
        approval.WorkflowId,
        approval.StepName,
        approval.Title,
        approval.Approvers,
        approval.Level,
        approval.State,
        approval.AskedAt,
        approval.DueAt,
        approval.IsOverdue(now),
        $"/api/approvals/{approval.ApprovalId}/decision");

    public static DecisionView Decision(ApprovalRecord record, ApprovalDecision decision) => new(
        decision.DecisionId, decision.ApprovalId, record.Ticket.StepName, record.Ticket.Level, decision.Approver, decision.Verdict, decision.EditedProposal is not null, decision.Comment, decision.DecidedAt, decision.Via, decision.RecordedBy,
        ProposalDiff.Of(record.Ticket.Proposal, decision.EditedProposal),
        decision.AnsweredBy);

    public static ApprovalView Approval(ApprovalRecord record, DateTimeOffset now) => new(
        Summary(record, now),
        record.Ticket.Proposal,
        record.Ticket.Context,
        record.Ticket.Policy,
        record.Ticket.AllowEdits,
        record.Result,
        [.. record.Decisions.Select(d => Decision(record, d))],
        record.Audit,
        ProposalHash.Of(record.Ticket),
        ToolCall(record.Ticket, record.Ticket.Proposal));

    public static DecisionReceipt Receipt(ApprovalRecord record, ApprovalDecision decision) => new(
        decision.DecisionId,
        decision.ApprovalId,
        record.Ticket.WorkflowId,
        decision.Approver,
        decision.Verdict,
        decision.EditedProposal is not null,
        decision.DecidedAt,
        $"{DecisionRules.Describe(decision)} by {DecisionRules.Who(decision)} at {decision.DecidedAt:u}{DecisionRules.How(decision)}",
        record.State,
        decision.Via,
        decision.RecordedBy,
        ProposalDiff.Of(record.Ticket.Proposal, decision.EditedProposal),
        decision.ProposalHash ?? ProposalHash.Of(record.Ticket),
        ToolCall(record.Ticket, decision.Verdict == Verdict.Approve ? decision.EditedProposal ?? record.Ticket.Proposal : record.Ticket.Proposal),
        decision.AnsweredBy);

    private static ToolCallView? ToolCall(ApprovalTicket ticket, JsonElement arguments) =>
        ticket.ToolCall is { } call ? new ToolCallView(call.Tool, arguments, call.Reason, call.CallId) : null;
}
