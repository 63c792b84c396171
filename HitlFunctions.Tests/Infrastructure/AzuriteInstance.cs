using System.Diagnostics;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>One Azurite process on fixed loopback ports with a persistent data folder; it can be stopped and started again.</summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    private readonly string entry;
    private readonly string workingDirectory;
    private readonly int[] ports;
    private Process? process;

    internal AzuriteInstance(string entry, string workingDirectory, int blobPort, int queuePort, int tablePort, string dataFolder)
    {
        this.entry = entry;
        this.workingDirectory = workingDirectory;
        this.ports = [blobPort, queuePort, tablePort];
        this.DataFolder = dataFolder;
    }

    public string DataFolder { get; }

    public string ConnectionString => Azurite.ConnectionString(this.ports[0], this.ports[1], this.ports[2]);

    /// <summary>Starts Azurite and waits until its three ports accept connections.</summary>
    public async Task StartAsync()
    {
        ProcessStartInfo start = new("node") { WorkingDirectory = this.workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
        {
            this.entry, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--location", this.DataFolder,
            "--blobHost", "127.0.0.1", "--blobPort", $"{this.ports[0]}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{this.ports[1]}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{this.ports[2]}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        this.process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite with node.");
        foreach (int port in this.ports)
        {
            await Azurite.WaitForPortAsync(port, this.process);
        }
    }

    /// <summary>Stops Azurite gracefully (SIGTERM, so it saves its data), killing it if it has not exited in 20 seconds.</summary>
    public async Task StopAsync()
    {
        if (this.process is not { HasExited: false } running)
        {
            return;
        }

        using (Process signal = Process.Start("kill", ["-TERM", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(20));
        try
        {
            await running.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill(entireProcessTree: true);
        }

        running.Dispose();
        this.process = null;
    }

    /// <summary>Freezes Azurite (SIGSTOP): connections are accepted by the kernel and never answered, as a stalled account.</summary>
    public Task PauseAsync() => this.SignalAsync("-STOP");

    /// <summary>Lets a paused Azurite go on (SIGCONT).</summary>
    public Task ResumeAsync() => this.SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        Process running = this.process is { HasExited: false } alive ? alive : throw new InvalidOperationException("Azurite is not running.");
        using Process kill = Process.Start("kill", [signal, running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Kills Azurite at once.</summary>
    public void Kill()
    {
        try
        {
            this.process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        this.Kill();
        if (this.process is not null)
        {
            await this.process.WaitForExitAsync();
            this.process.Dispose();
        }

        try
        {
            Directory.Delete(this.DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }
}
