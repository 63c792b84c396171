using System.Globalization;
using System.Net;

namespace HitlFunctions.Common;

/// <summary>One allowed destination of <see cref="OutboundOptions.Allowed"/>, parsed.</summary>
/// <param name="Scheme">http or https.</param>
/// <param name="Host">A lower-case name, or a <c>*.domain</c> suffix, or null for an address.</param>
/// <param name="Address">The IP address the entry names, if it names one.</param>
/// <param name="Port">The port, or null for any.</param>
public sealed record OutboundDestination(string Scheme, string? Host, IPAddress? Address, int? Port)
{
    /// <summary>Parses an entry; null when it is not of the form <c>[scheme://]host[:port|:*]</c>.</summary>
    public static OutboundDestination? Parse(string? entry)
    {
        string text = (entry ?? string.Empty).Trim();
        string scheme = Uri.UriSchemeHttps;
        int separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            scheme = text[..separator].ToLowerInvariant();
            text = text[(separator + 3)..];
        }

        text = text.TrimEnd('/');
        if (scheme is not ("http" or "https") || text.Length == 0 || text.IndexOfAny(['/', '?', '#', '@', ' ']) >= 0)
        {
            return null;
        }

        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            int end = text.IndexOf(']', StringComparison.Ordinal);
            string rest = end < 0 ? string.Empty : text[(end + 1)..];
            if (end < 0 || (rest.Length > 0 && !rest.StartsWith(':')))
            {
                return null;
            }

            host = text[1..end];
            port = rest.Length > 0 ? rest[1..] : null;
        }
        else
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && text.IndexOf(':', colon + 1) >= 0)
            {
                return null;
            }

            host = colon >= 0 ? text[..colon] : text;
            port = colon >= 0 ? text[(colon + 1)..] : null;
        }

        int? number = null;
        if (port is not null && port != "*")
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed is < 1 or > 65535)
            {
                return null;
            }

            number = parsed;
        }
        else if (port is null)
        {
            number = scheme == "https" ? 443 : 80;
        }

        host = host.ToLowerInvariant();
        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            return new OutboundDestination(scheme, null, Normal(address), number);
        }

        bool wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        string name = wildcard ? host[2..] : host;
        return Uri.CheckHostName(name) == UriHostNameType.Dns ? new OutboundDestination(scheme, host, null, number) : null;
    }

    /// <summary>Whether a URL's scheme, host (as written) and port are this destination.</summary>
    public bool Matches(Uri uri)
    {
        if (uri.Scheme != this.Scheme || (this.Port is { } port && uri.Port != port))
        {
            return false;
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return this.Address is not null && IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) && Normal(address).Equals(this.Address);
        }

        string host = uri.IdnHost.ToLowerInvariant();
        return this.Host is { } allowed && (allowed.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(allowed[1..], StringComparison.Ordinal) : host == allowed);
    }

    /// <summary>An IPv4 address given in IPv6 form is the IPv4 address.</summary>
    public static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
