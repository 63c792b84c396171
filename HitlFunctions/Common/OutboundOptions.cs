namespace HitlFunctions.Common;

/// <summary>Where the app may send requests (action webhooks, monitor checks, remediation). Section <c>Outbound</c>.</summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Outbound";

    /// <summary>
    /// The destinations allowed, each <c>scheme://host:port</c>: the scheme is https when left out, the port the scheme's
    /// default when left out or any with <c>*</c>, and the host a name, <c>*.domain</c> or an IP address. A destination
    /// whose name resolves to a loopback, private, link-local or cloud-metadata address is refused unless an entry names
    /// that address itself (e.g. <c>http://127.0.0.1:8088</c>). Set as <c>Outbound__Allowed__0</c>; an empty entry allows nothing. Default:
    /// none (no outbound calls).
    /// </summary>
    public List<string> Allowed { get; set; } = [];
}
