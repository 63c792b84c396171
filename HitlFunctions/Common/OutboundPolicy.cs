using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Common;

/// <summary>
/// The outbound allowlist, applied twice: to a URL before anything is started (so a refusal is a 400 naming the field),
/// and to the address actually connected to, after DNS, in the HTTP handler's connect callback (so a name that resolves
/// to a loopback, private or metadata address is refused, whatever the URL said). Redirects are not followed.
/// </summary>
public sealed class OutboundPolicy
{
    private readonly OutboundDestination[] allowed;

    public OutboundPolicy(IOptions<OutboundOptions> options) =>
        this.allowed = [.. options.Value.Allowed.Where(e => !string.IsNullOrWhiteSpace(e)).Select(OutboundDestination.Parse).OfType<OutboundDestination>()];

    /// <summary>Why a URL may not be called, in words for the caller, or null when it may.</summary>
    public string? Refusal(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return "Give an absolute http or https URL.";
        }

        return this.allowed.Any(d => d.Matches(uri))
            ? null
            : $"Host {uri.Authority} is not allowed: outbound calls go only to the destinations in {OutboundOptions.SectionName}:Allowed.";
    }

    /// <summary>The primary handler of the outbound HTTP clients: no proxy, no redirects, the allowlist at connect time.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = this.ConnectAsync,
    };

    /// <summary>Whether a failed request was refused by this policy.</summary>
    public static bool IsRefusal(Exception exception) =>
        exception is OutboundRefusedException || (exception.InnerException is { } inner && IsRefusal(inner));

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        Uri uri = context.InitialRequestMessage.RequestUri!;
        string authority = uri.Authority;
        OutboundDestination[] matching = [.. this.allowed.Where(d => d.Matches(uri))];
        if (matching.Length == 0)
        {
            throw new OutboundRefusedException(authority);
        }

        IPAddress[] addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        IPAddress? target = addresses
            .Select(OutboundDestination.Normal)
            .FirstOrDefault(a => IsPublic(a) || matching.Any(d => a.Equals(d.Address)));
        if (target is null)
        {
            throw new OutboundRefusedException(authority);
        }

        Socket socket = new(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>False for loopback, private, shared, link-local (cloud metadata), multicast, reserved and unspecified addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        address = OutboundDestination.Normal(address);
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        byte[] b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19));
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast
            || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8));
    }
}
