using System.Diagnostics;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// The repository's pinned npm packages (package-lock.json): Azurite and the Chromium of the browser tests. When one of
/// them is missing, <c>npm ci</c> runs once for the whole test run, before anything of node_modules is used.
/// </summary>
public static class NpmPackages
{
    private static readonly string[] Required =
    [
        Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js"),
        Path.Combine("node_modules", "@sparticuz", "chromium", "package.json"),
    ];

    private static readonly Lazy<Task> Installed = new(InstallAsync);

    /// <summary>Makes sure the pinned packages are installed at the repository root.</summary>
    public static Task EnsureAsync() => Installed.Value;

    /// <summary>Runs a command to its end and returns what it wrote to standard output, failing on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string command, string arguments, string workingDirectory)
    {
        using Process process = Process.Start(new ProcessStartInfo(command, arguments) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"Could not run {command}.");
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"'{command} {arguments}' failed with exit code {process.ExitCode}.");
    }

    private static async Task InstallAsync()
    {
        string root = Azurite.RepositoryRoot();
        if (Required.Any(file => !File.Exists(Path.Combine(root, file))))
        {
            await RunAsync("npm", "ci --no-audit --no-fund", root);
        }
    }
}
