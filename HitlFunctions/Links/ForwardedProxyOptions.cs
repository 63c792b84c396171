using System.ComponentModel.DataAnnotations;
using System.Net;

namespace HitlFunctions.Links;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> entries are believed, for the client address that link refusals are counted
/// by. ASP.NET Core's forwarded-headers middleware reads the header from the right and stops at the first hop that is
/// not listed here, so a client cannot pick its own address by writing the left of the header. Section
/// <c>ForwardedHeaders</c>. Both lists empty (the default): the header is ignored and the connection's address counts.
/// </summary>
public sealed class ForwardedProxyOptions : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. 10.0.0.4 or the Functions host's 127.0.0.1. Default none.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. 10.0.0.0/16 or 147.243.0.0/16 (Azure Front Door). Default none.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string proxy in this.KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address.", [nameof(this.KnownProxies)]);
        }

        foreach (string network in this.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/16).", [nameof(this.KnownNetworks)]);
        }
    }
}
