using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>An approver's answer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    Approve,
    Reject,

    /// <summary>Not approved: the proposal goes back to the step that made it, with the comment as feedback.</summary>
    RequestChanges,
}
