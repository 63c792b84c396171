using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Identity;

/// <summary>Sign-in by emailed link, for people using pages without a token. Section <c>Identity:SignIn</c>.</summary>
public sealed class SignInLinkOptions
{
    /// <summary>
    /// Whether <c>/api/signin</c> sends sign-in links. Default false; the local host's Development settings turn it on.
    /// Used links are remembered in process memory, so it fits one instance (the local host), not a scaled-out app.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>How long a sign-in link works. Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a session lasts without activity. Default 8 hours.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
