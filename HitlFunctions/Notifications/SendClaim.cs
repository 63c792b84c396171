namespace HitlFunctions.Notifications;

/// <summary>What <see cref="INotificationSentStore.ClaimAsync"/> found.</summary>
public enum SendClaim
{
    /// <summary>This consumer may send now.</summary>
    Claimed,

    /// <summary>It was sent already: a redelivered message.</summary>
    AlreadySent,

    /// <summary>Another consumer is sending it right now; try again later.</summary>
    Busy,
}
