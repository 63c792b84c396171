using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Links;

/// <summary>Emailed approval links: signing keys, the public address, lifetimes and failure limits. Section <c>Links</c>.</summary>
public sealed class LinkOptions
{
    public const string SectionName = "Links";

    /// <summary>
    /// Keys that sign and verify link tokens. Every key verifies; the newest (latest <see cref="LinkSigningKey.Created"/>,
    /// then the last listed) signs, so a new key can be added while links signed with the old one are still in flight.
    /// Required outside Development; in Development an empty list gets a random key for the life of the process.
    /// </summary>
    public List<LinkSigningKey> SigningKeys { get; set; } = [];

    /// <summary>
    /// The address people reach the app at, e.g. https://approvals.example.com. Links are built from it, never from a
    /// request's Host header. Required outside Development; default there: the address the local host listens on, or
    /// http://localhost:7071 (<c>func start</c>).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Where the local host listens by default, and so the links' base in Development when none is configured.</summary>
    public const string DevelopmentBaseUrl = "http://localhost:7071";

    /// <summary>How long a link stays valid after its level's deadline, to show what happened. Default 3 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan ExpiryGrace { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long the confirmation form may be submitted after the page was shown. Default 12 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan FormLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Requests with a token that does not verify one client may make per <see cref="FailureWindow"/> before such
    /// requests are told to wait; requests with a valid token are never counted or held back. Default 20. The client is
    /// the connection's address, or the hop named by trusted proxies (section <c>ForwardedHeaders</c>).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxFailuresPerWindow { get; set; } = 20;

    /// <summary>The window over which refused requests are counted per client. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The least time a refusal takes, so a refused token and an unknown approval cannot be told apart by timing.
    /// Default 100 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan RefusalFloor { get; set; } = TimeSpan.FromMilliseconds(100);
}
