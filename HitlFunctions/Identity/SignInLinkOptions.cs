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

    /// <summary>
    /// Sign-in links one address is sent per <see cref="RequestWindow"/>, 1 to 100; further requests get the same answer
    /// but send nothing. Default 5.
    /// </summary>
    public int MaxLinksPerAddress { get; set; } = 5;

    /// <summary>
    /// Sign-in requests one client may make per <see cref="RequestWindow"/>, 1 to 100,000, before it is told to wait (429).
    /// Default 30. The client is the connection's address, or the hop named by trusted proxies (section <c>ForwardedHeaders</c>).
    /// </summary>
    public int MaxRequestsPerClient { get; set; } = 30;

    /// <summary>The window over which sign-in requests are counted per address and per client, 1 minute to 1 day. Default 15 minutes.</summary>
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(15);
}
