namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// The real Chromium the browser tests drive: the binary of the pinned npm package <c>@sparticuz/chromium</c>, which
/// its <c>executablePath()</c> unpacks to /tmp. Playwright's own browser download is not needed (nor reachable here).
/// </summary>
public static class Chromium
{
    private static readonly Lazy<Task<string>> Unpacked = new(UnpackAsync);

    /// <summary>The path of the Chromium executable.</summary>
    public static Task<string> ExecutablePathAsync() => Unpacked.Value;

    /// <summary>
    /// The flags of a quiet test browser: no sandbox (CI runs as root, where Chromium will not start with it; the pages
    /// are our own on loopback), no GPU, and nothing that calls home. Playwright gives every launch a fresh profile.
    /// </summary>
    public static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private static async Task<string> UnpackAsync()
    {
        await NpmPackages.EnsureAsync();
        string output = await NpmPackages.RunAsync(
            "node", "--input-type=module -e \"import chromium from '@sparticuz/chromium'; console.log(await chromium.executablePath());\"", Azurite.RepositoryRoot());
        string path = output.Trim();
        return File.Exists(path) ? path : throw new InvalidOperationException($"@sparticuz/chromium did not unpack a browser (it said '{path}').");
    }
}
