using System.Collections.Frozen;
using System.Security.Cryptography;

namespace HitlFunctions.Pages;

/// <summary>
/// The stylesheet and script of every page, embedded in the app (no outside assets, nothing to deploy beside it).
/// Their URLs carry a hash of the content, so a browser may cache them for good and a new release is fetched at once.
/// </summary>
public static class PageAssets
{
    /// <summary>The route the assets are served from, under the app's /api prefix.</summary>
    public const string Route = "assets";

    private static readonly FrozenDictionary<string, PageAsset> Assets = new[]
    {
        Load("site.css", "text/css; charset=utf-8"),
        Load("site.js", "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    public static string StylesheetUrl { get; } = UrlOf("site.css");

    public static string ScriptUrl { get; } = UrlOf("site.js");

    /// <summary>The asset called <paramref name="name"/>, or null.</summary>
    public static PageAsset? Find(string name) => Assets.GetValueOrDefault(name);

    private static string UrlOf(string name) => $"/api/{Route}/{name}?v={Assets[name].Version}";

    private static PageAsset Load(string name, string contentType)
    {
        using Stream stream = typeof(PageAssets).Assembly.GetManifestResourceStream($"HitlFunctions.Pages.Assets.{name}")
            ?? throw new InvalidOperationException($"The page asset '{name}' is not embedded in the app.");
        using MemoryStream copy = new();
        stream.CopyTo(copy);
        byte[] content = copy.ToArray();
        return new PageAsset(name, contentType, content, Convert.ToHexStringLower(SHA256.HashData(content))[..16]);
    }
}
