using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>How the answers of the approvers at one level combine into a decision.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalPolicyKind>))]
public enum ApprovalPolicyKind
{
    /// <summary>The first answer decides.</summary>
    FirstResponse,

    /// <summary>Every approver at the level must approve.</summary>
    AllMustApprove,

    /// <summary>A given number of the approvers at the level must approve.</summary>
    Quorum,
}
