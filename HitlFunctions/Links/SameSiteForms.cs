using Microsoft.AspNetCore.Http;

namespace HitlFunctions.Links;

/// <summary>
/// Whether a form POST came from another site: Sec-Fetch-Site other than same-origin / none, or an Origin that is not
/// the public address. Pages whose forms post here must send a
/// <c>Referrer-Policy</c> under which browsers send the real Origin (not <c>no-referrer</c>, which makes it <c>null</c>).
/// </summary>
public static class SameSiteForms
{
    /// <param name="expectedOrigin">The app's public origin (<see cref="LinkBaseUrl.Origin"/>).</param>
    public static bool IsCrossSite(HttpRequest request, string expectedOrigin)
    {
        string fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        string origin = request.Headers.Origin.ToString();
        bool badSite = fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none");
        bool badOrigin = origin.Length > 0 && !string.Equals(origin.TrimEnd('/'), expectedOrigin, StringComparison.OrdinalIgnoreCase);
        return badSite || badOrigin;
    }
}
