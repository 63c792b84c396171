using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Links;

/// <summary>
/// Puts ASP.NET Core's forwarded-headers middleware first in the pipeline of both hosts (the Functions worker's ASP.NET
/// Core integration and the local host), trusting only the proxies in <see cref="ForwardedProxyOptions"/>.
/// </summary>
public sealed class ForwardedHeadersStartupFilter(IOptions<ForwardedProxyOptions> proxies) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        ForwardedHeadersOptions options = new() { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };

        // The defaults trust loopback; only what is configured is trusted here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (string proxy in proxies.Value.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (string network in proxies.Value.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        app.UseForwardedHeaders(options);
        next(app);
    };
}
