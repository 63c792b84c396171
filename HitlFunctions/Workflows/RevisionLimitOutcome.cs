using System.Text.Json.Serialization;

namespace HitlFunctions.Workflows;

/// <summary>What an approval step does when changes are requested after its last allowed revision.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RevisionLimitOutcome>))]
public enum RevisionLimitOutcome
{
    /// <summary>The workflow ends rejected (the default).</summary>
    Reject,

    /// <summary>The last proposal is taken as approved and the workflow goes on.</summary>
    Approve,

    /// <summary>The workflow ends failed.</summary>
    Fail,
}
