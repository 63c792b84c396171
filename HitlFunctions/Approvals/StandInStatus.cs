namespace HitlFunctions.Approvals;

/// <summary>What the ledger made of a stand-in to add (a reassignment or a hand-over).</summary>
public enum StandInStatus
{
    /// <summary>Recorded: the person is asked now.</summary>
    Added,

    /// <summary>The same stand-in was recorded before; nothing changed.</summary>
    Repeated,

    /// <summary>No approval with that id.</summary>
    NotFound,

    /// <summary>The one handing it over is not asked for that approver (any more).</summary>
    NotAsked,

    /// <summary>Handing it to oneself.</summary>
    Self,

    /// <summary>The person started the workflow or requested the approval and may not answer it.</summary>
    Requester,

    /// <summary>The person is asked already (for themselves or for someone else): one person answers once.</summary>
    AlreadyAsked,

    /// <summary>The approver's answer is already recorded.</summary>
    AlreadyAnswered,

    /// <summary>The approval is decided, timed out, escalated or cancelled.</summary>
    Closed,
}
