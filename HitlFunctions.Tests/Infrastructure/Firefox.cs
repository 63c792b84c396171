namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// Debian's Firefox ESR for the browser tests, driven by Playwright over WebDriver BiDi (channel <c>moz-firefox</c>), so
/// Playwright's own patched Firefox is not needed. From <c>HITL_TEST_FIREFOX</c>, else the system's firefox-esr.
/// </summary>
public static class Firefox
{
    /// <summary>The environment variable that may name the Firefox executable.</summary>
    public const string ExecutableVariable = "HITL_TEST_FIREFOX";

    /// <summary>The Playwright channel that launches a stock Firefox over WebDriver BiDi.</summary>
    public const string Channel = "moz-firefox";

    /// <summary>The path of the Firefox executable; fails with how to install it when there is none.</summary>
    public static string ExecutablePath() =>
        new[] { Environment.GetEnvironmentVariable(ExecutableVariable), "/usr/bin/firefox-esr", "/usr/bin/firefox" }
            .FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path))
        ?? throw new InvalidOperationException($"No Firefox for the browser tests: install Debian's firefox-esr (apt-get install firefox-esr) or set {ExecutableVariable}.");
}
