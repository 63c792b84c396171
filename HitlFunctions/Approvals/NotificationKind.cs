using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>Why a person is told something.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationKind>))]
public enum NotificationKind
{
    /// <summary>An approver is asked for a decision.</summary>
    Request,

    /// <summary>An approver has not answered yet.</summary>
    Reminder,

    /// <summary>The previous level did not answer in time; the next level is asked.</summary>
    Escalation,

    /// <summary>The requester learns the outcome.</summary>
    DecisionNotice,

    /// <summary>A person asked for a sign-in link.</summary>
    SignIn,
}
