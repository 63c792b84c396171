using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HitlFunctions.Benchmarks;

/// <summary>
/// A freshly started Azurite that keeps its data in memory (nothing left over from an earlier run: leftover queue
/// messages and timers distort polling; and no disk writes on the path), from the repository's pinned npm package;
/// `npm ci` runs first when it is not installed.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process process;

    private AzuriteProcess(Process process, int blob, int queue, int table)
    {
        this.process = process;
        this.Ports = (blob, queue, table);
    }

    public (int Blob, int Queue, int Table) Ports { get; }

    /// <summary>CPU time Azurite has used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            this.process.Refresh();
            return this.process.TotalProcessorTime;
        }
    }

    public static string ConnectionString(int blob, int queue, int table) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";

    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot)
    {
        string entry = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(entry))
        {
            using Process npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = repositoryRoot })!;
            await npm.WaitForExitAsync();
        }

        int blob = FreePort(), queue = FreePort(), table = FreePort();
        ProcessStartInfo start = new("node") { WorkingDirectory = repositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
        {
            entry, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--inMemoryPersistence",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        foreach (int port in new[] { blob, queue, table })
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    using TcpClient client = new();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (attempt < 300 && !process.HasExited)
                {
                    await Task.Delay(100);
                }
            }
        }

        return new AzuriteProcess(process, blob, queue, table);
    }

    public static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        this.process.Kill(entireProcessTree: true);
        await this.process.WaitForExitAsync();
        this.process.Dispose();
    }
}
