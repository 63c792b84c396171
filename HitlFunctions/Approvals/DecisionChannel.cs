using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>How a decision reached the ledger.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DecisionChannel>))]
public enum DecisionChannel
{
    /// <summary>The approver's emailed link.</summary>
    Link,

    /// <summary>A page of the approver's signed-in session.</summary>
    Page,

    /// <summary>The approver's own call to the API, with their token.</summary>
    Api,

    /// <summary>An integration recorded it on behalf of the approver.</summary>
    OnBehalf,

    /// <summary>The approver's inbox page, one approval or many at once (signed in).</summary>
    Inbox,
}
