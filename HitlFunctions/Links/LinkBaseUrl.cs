using Microsoft.Extensions.Options;

namespace HitlFunctions.Links;

/// <summary>
/// The address emailed links are built from and form posts must come from: <see cref="LinkOptions.PublicBaseUrl"/>,
/// never a request's Host header. Without it (Development only, the validator makes it required elsewhere) the address
/// the host reports it listens on, so <c>--urls</c> on another port gives links that work; else
/// <see cref="LinkOptions.DevelopmentBaseUrl"/>.
/// </summary>
public sealed class LinkBaseUrl(IOptions<LinkOptions> options, Func<Uri?> listening)
{
    /// <summary>A base URL that knows only the configured address (the Functions app: its worker's own address is internal).</summary>
    public LinkBaseUrl(IOptions<LinkOptions> options)
        : this(options, static () => null)
    {
    }

    /// <summary>The base URL, ending in a slash.</summary>
    public Uri Current
    {
        get
        {
            Uri root = options.Value.PublicBaseUrl ?? listening() ?? new Uri(LinkOptions.DevelopmentBaseUrl);
            string text = root.ToString();
            return text.EndsWith('/') ? root : new Uri(text + "/");
        }
    }

    /// <summary>The origin browsers name in the Origin header of a form posted from a link page, e.g. http://127.0.0.1:5123.</summary>
    public string Origin => this.Current.GetLeftPart(UriPartial.Authority);

    /// <summary>The link for a token.</summary>
    public Uri LinkFor(string token) => new(this.Current, $"api/links/{token}");

    /// <summary>
    /// The first address a server listens on, as a browser would open it: a wildcard host (<c>+</c>, <c>*</c>,
    /// 0.0.0.0, [::]) becomes localhost. Null when there is none or it cannot be read.
    /// </summary>
    public static Uri? FromServerAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        string normalized = address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return Uri.TryCreate(normalized, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" ? uri : null;
    }
}
