namespace HitlFunctions.Identity;

/// <summary>Sign-in by emailed link, for people using pages without a token. Section <c>Identity:SignIn</c>.</summary>
public sealed class SignInLinkOptions
{
    /// <summary>
    /// Whether <c>/api/signin</c> sends sign-in links. Default false; the local host's Development settings turn it on.
    /// Used links are remembered in process memory, so it fits one instance (the local host), not a scaled-out app.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>How long a sign-in link works, 1 minute to 1 day. Default 15 minutes.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a session lasts without activity, 5 minutes to 30 days. Default 8 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
