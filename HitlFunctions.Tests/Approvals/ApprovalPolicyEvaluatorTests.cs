using HitlFunctions.Approvals;

namespace HitlFunctions.Tests.Approvals;

/// <summary>The pure policy rules shared by the ledger and the checkpoint.</summary>
public sealed class ApprovalPolicyEvaluatorTests
{
    private static readonly string[] Three = ["a@x.io", "b@x.io", "c@x.io"];

    private static ApprovalDecision[] Answers(string verdicts) =>
        [.. verdicts.Select((v, i) => new ApprovalDecision($"d{i}", "ap", Three[i], v switch { 'A' => Verdict.Approve, 'C' => Verdict.RequestChanges, _ => Verdict.Reject }, null, null, DateTimeOffset.UnixEpoch))];

    [Theory]
    [InlineData("FirstResponse", null, true, "", null)]
    [InlineData("FirstResponse", null, true, "R", Verdict.Reject)]
    [InlineData("AllMustApprove", null, true, "AA", null)]
    [InlineData("AllMustApprove", null, true, "AAA", Verdict.Approve)]
    [InlineData("AllMustApprove", null, false, "AR", Verdict.Reject)]
    [InlineData("Quorum", 2, true, "A", null)]
    [InlineData("Quorum", 2, true, "AA", Verdict.Approve)]
    [InlineData("Quorum", 2, true, "AR", Verdict.Reject)]
    [InlineData("Quorum", 2, false, "RA", null)]
    [InlineData("Quorum", 2, false, "RR", Verdict.Reject)]
    [InlineData("Quorum", 2, false, "RAA", Verdict.Approve)]
    [InlineData("FirstResponse", null, true, "C", Verdict.RequestChanges)]
    [InlineData("AllMustApprove", null, true, "AC", Verdict.RequestChanges)]
    [InlineData("Quorum", 2, true, "CR", Verdict.RequestChanges)]
    [InlineData("Quorum", 2, false, "CR", Verdict.RequestChanges)]
    [InlineData("Quorum", 2, false, "CAA", Verdict.Approve)]
    public void Evaluate_GivesTheLevelVerdictOrStaysOpen(string kind, int? required, bool vetoes, string answers, Verdict? expected)
    {
        ApprovalPolicy policy = new(Enum.Parse<ApprovalPolicyKind>(kind), required, vetoes);

        Assert.Equal(expected, ApprovalPolicyEvaluator.Evaluate(policy, Three, Answers(answers)));
    }
}
