using System.Net;
using System.Net.Sockets;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// The local host with the allowlist a deployer would write: the webhook receiver's port on 127.0.0.1 (named as an
/// address, so loopback is allowed there), the same port by the name localhost (a name, so its loopback address is
/// not), and one closed port. Everything else on loopback, such as a stand-in metadata service, is not allowed.
/// </summary>
public sealed class StrictOutboundHostFixture : LocalHostFixture
{
    public int ClosedPort { get; } = FreePort();

    protected override IEnumerable<string> OutboundArguments()
    {
        int receiver = new Uri(this.Webhooks.BaseUrl).Port;
        return [$"--Outbound:Allowed:0=http://127.0.0.1:{receiver}", $"--Outbound:Allowed:1=http://localhost:{receiver}", $"--Outbound:Allowed:2=http://127.0.0.1:{this.ClosedPort}"];
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
