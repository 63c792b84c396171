namespace HitlFunctions.Approvals;

/// <summary>How an answer reached the ledger, for the decisions metric.</summary>
public enum DecisionChannel
{
    /// <summary>POST /api/approvals/{approvalId}/decision.</summary>
    Api,

    /// <summary>The page behind an emailed link.</summary>
    Link,
}
