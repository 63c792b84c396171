using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>Whether a stand-in is asked beside the approver or in their place.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DelegationMode>))]
public enum DelegationMode
{
    /// <summary>The approver stays asked and the stand-in is asked too; whichever answers first answers for the approver.</summary>
    AsWell,

    /// <summary>Only the stand-in is asked; the approver's own links and answers no longer count for that approval.</summary>
    Instead,
}
