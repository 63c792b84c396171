namespace HitlFunctions.Approvals;

/// <summary>What the ledger made of a submitted answer.</summary>
public enum DecisionRecordingStatus
{
    /// <summary>Recorded; it will be delivered to the checkpoint.</summary>
    Accepted,

    /// <summary>No approval with that id.</summary>
    NotFound,

    /// <summary>The approver was not asked at this level.</summary>
    NotAsked,

    /// <summary>This approver already answered, or the approval is already decided.</summary>
    AlreadyDecided,

    /// <summary>The approver started the workflow or requested the approval, and the step does not allow self-approval.</summary>
    SelfApproval,

    /// <summary>The approval timed out, escalated away or was cancelled, or its deadline passed.</summary>
    Gone,
}
