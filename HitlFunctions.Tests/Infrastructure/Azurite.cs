using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// The Azurite storage emulator for tests. CI starts one and passes its connection string in
/// <c>HITL_TEST_STORAGE</c>; otherwise the first test that needs storage starts one from the repository's pinned
/// npm package (running <c>npm ci</c> first if needed) on free loopback ports with a fresh data folder, and it is
/// stopped when the test process exits.
/// </summary>
public static class Azurite
{
    /// <summary>The environment variable that carries a running Azurite's connection string.</summary>
    public const string ConnectionVariable = "HITL_TEST_STORAGE";

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<string>> Started = new(StartAsync);

    /// <summary>A connection string to a running Azurite.</summary>
    public static Task<string> ConnectionStringAsync() =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given ? Task.FromResult(given) : Started.Value;

    /// <summary>The connection string for Azurite listening on the given ports.</summary>
    public static string ConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    private static async Task<string> StartAsync()
    {
        AzuriteInstance instance = await StartPrivateAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.Kill();
        return instance.ConnectionString;
    }

    /// <summary>
    /// Starts an Azurite of the caller's own, on free fixed ports with a data folder that outlives a stop, so a test can
    /// stop it and start it again with its data (a storage outage). Dispose it to stop it and delete its data.
    /// </summary>
    public static async Task<AzuriteInstance> StartPrivateAsync()
    {
        string root = RepositoryRoot();
        string entry = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        await NpmPackages.EnsureAsync();

        AzuriteInstance instance = new(entry, root, FreePort(), FreePort(), FreePort(), Directory.CreateTempSubdirectory("hitl-azurite-").FullName);
        await instance.StartAsync();
        return instance;
    }

    /// <summary>The folder that holds HitlFunctions.sln.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HitlFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Could not find the repository root (HitlFunctions.sln) above the test folder.");
    }

    public static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task WaitForPortAsync(int port, Process process)
    {
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using TcpClient client = new();
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }
}
