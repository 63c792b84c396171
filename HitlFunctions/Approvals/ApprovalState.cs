using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>Where an approval (one level of one checkpoint) stands in the ledger.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalState>))]
public enum ApprovalState
{
    /// <summary>Waiting for answers.</summary>
    Pending,

    /// <summary>The policy was met or failed: approved or rejected.</summary>
    Decided,

    /// <summary>Its deadline passed and the checkpoint escalated to the next level.</summary>
    Escalated,

    /// <summary>The deadline of the last level passed.</summary>
    TimedOut,

    /// <summary>The workflow was cancelled.</summary>
    Cancelled,
}
