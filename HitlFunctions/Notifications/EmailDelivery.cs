namespace HitlFunctions.Notifications;

/// <summary>How emails leave the app.</summary>
public enum EmailDelivery
{
    /// <summary>.eml files in <see cref="EmailOptions.PickupFolder"/>, and a log line with each link: zero setup, development only.</summary>
    Pickup,

    /// <summary>An SMTP server (<see cref="EmailOptions.Smtp"/>).</summary>
    Smtp,
}
