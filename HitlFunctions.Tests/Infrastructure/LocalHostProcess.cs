using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// The local host as a separate process (<c>dotnet HitlFunctions.LocalHost.dll --backend azurestorage</c>) on a fixed
/// loopback port, so a test can kill it (SIGKILL), stop it (SIGTERM) and start it again on the same task hub.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    /// <summary>The longest a test waits for the host to answer after a start.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The longest a test waits for a state of a host process (two processes and Azurite share 2 cores).</summary>
    public static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(90);

    private readonly string[] arguments;
    private readonly StringBuilder log = new();
    private Process? process;

    private LocalHostProcess(string connectionString, string taskHub, int port, string[] extraArguments)
    {
        this.ConnectionString = connectionString;
        this.TaskHub = taskHub;
        this.Port = port;
        this.arguments =
        [
            HostDll(), "--urls", $"http://127.0.0.1:{port}", "--backend", "azurestorage", "--task-hub", taskHub,
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            "--Approvals:RedeliverySchedule=*/2 * * * * *",

            // Outside Development the host refuses to start without link signing keys and a public base URL.
            $"--Links:SigningKeys:0:Id={TestKeys.CurrentId}", $"--Links:SigningKeys:0:Secret={TestKeys.CurrentSecret}",
            "--Links:PublicBaseUrl=https://approvals.example.test", "--Outbound:Allowed:0=http://127.0.0.1:*",
            "--Limits:MinReminderInterval=00:00:01", "--Limits:MinLevelTimeout=00:00:01", .. TestKeys.BearerArguments, .. extraArguments,
        ];
        this.Http = new HttpClient(new ExitReporter(this)) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        this.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", TestTokens.Integration(LocalHostFixture.Integration, "integration", "on-behalf", "operator"));
    }

    public string ConnectionString { get; }

    public string TaskHub { get; }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>What the process wrote so far (all runs), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (this.log)
            {
                return this.log.ToString();
            }
        }
    }

    /// <summary>A task hub name no other test uses.</summary>
    public static string NewTaskHub(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 32)];

    /// <summary>Starts a host process and waits until its API answers.</summary>
    /// <param name="extraArguments">More command-line settings, e.g. <c>--LocalHost:LeaseInterval=00:00:06</c>.</param>
    public static async Task<LocalHostProcess> StartAsync(string connectionString, string taskHub, params string[] extraArguments)
    {
        LocalHostProcess host = new(connectionString, taskHub, Azurite.FreePort(), extraArguments);
        await host.StartAsync();
        return host;
    }

    /// <summary>Starts (again) on the same port and task hub, and waits until the API answers.</summary>
    public async Task StartAsync()
    {
        ProcessStartInfo start = new("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(HostDll())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in this.arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Storage"] = this.ConnectionString;
        start.Environment["DOTNET_gcServer"] = "0";
        Process started = Process.Start(start) ?? throw new InvalidOperationException("Could not start the local host.");
        started.OutputDataReceived += (_, e) => this.Append(e.Data);
        started.ErrorDataReceived += (_, e) => this.Append(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        this.process = started;

        using CancellationTokenSource timeout = new(StartTimeout);
        while (true)
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"The local host exited with code {started.ExitCode}:\n{this.Log}");
            }

            try
            {
                using HttpResponseMessage response = await this.Http.GetAsync("/api/approvals?approver=nobody@example.com", timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"The local host did not answer within {StartTimeout.TotalSeconds} s:\n{this.Log}");
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>SIGKILL: the process dies at once, in the middle of whatever it does.</summary>
    public async Task KillAsync()
    {
        if (this.process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as Ctrl+C or a container stop sends; returns how long the process took to exit (at most <paramref name="limit"/>).</summary>
    public async Task<TimeSpan> StopAsync(TimeSpan limit)
    {
        Process running = this.process ?? throw new InvalidOperationException("Not started.");
        Stopwatch watch = Stopwatch.StartNew();
        using (Process signal = Process.Start("kill", ["-TERM", running.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using CancellationTokenSource timeout = new(limit);
        try
        {
            await running.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill();
            throw new TimeoutException($"The local host did not stop within {limit.TotalSeconds} s of SIGTERM:\n{this.Log}");
        }

        return watch.Elapsed;
    }

    /// <summary>Starts a workflow over HTTP and returns its id.</summary>
    public async Task<string> StartWorkflowAsync(object body)
    {
        using HttpResponseMessage response = await this.Http.PostAsJsonAsync("/api/workflows", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Start failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Pending approvals, as <c>GET /api/approvals</c> lists them.</summary>
    public async Task<ApprovalSummary[]> PendingAsync(string? workflowId = null, string? approver = null)
    {
        string query = workflowId is not null ? $"workflowId={Uri.EscapeDataString(workflowId)}" : $"approver={Uri.EscapeDataString(approver!)}";
        return (await this.Http.GetFromJsonAsync<ApprovalSummary[]>($"/api/approvals?{query}", HitlJson.Output))!;
    }

    /// <summary>Waits until the workflow has a pending approval at <paramref name="level"/>.</summary>
    public Task<ApprovalSummary> PendingApprovalAsync(string workflowId, int level = 1) =>
        LocalHostFixture.WaitFor(async () => (await this.PendingAsync(workflowId)).FirstOrDefault(a => a.Level == level), $"a pending approval at level {level} of {workflowId}", StateTimeout);

    /// <summary>Posts a decision over HTTP as the person <paramref name="approver"/>, with their own token.</summary>
    public Task<HttpResponseMessage> DecideAsync(string approvalId, string decision, string approver, object? edited = null)
    {
        HttpRequestMessage request = new(HttpMethod.Post, $"/api/approvals/{approvalId}/decision") { Content = JsonContent.Create(new { decision, edited }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.Person(approver));
        return this.Http.SendAsync(request);
    }

    /// <summary>The workflow as <c>GET /api/workflows/{id}</c> shows it.</summary>
    public async Task<WorkflowView> WorkflowAsync(string id) =>
        (await this.Http.GetFromJsonAsync<WorkflowView>($"/api/workflows/{id}", HitlJson.Output))!;

    /// <summary>Waits until the workflow is no longer Pending or Running, at most <paramref name="limit"/>.</summary>
    public async Task<WorkflowView> FinishedWorkflowAsync(string id, TimeSpan? limit = null, int pollMilliseconds = 20)
    {
        using CancellationTokenSource timeout = new(limit ?? StateTimeout);
        while (true)
        {
            WorkflowView view = await this.WorkflowAsync(id);
            if (view.RuntimeStatus is not ("Pending" or "Running"))
            {
                return view;
            }

            try
            {
                await Task.Delay(pollMilliseconds, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Workflow {id} is still {view.RuntimeStatus} at step {view.CurrentStep}:\n{this.Log}");
            }
        }
    }

    /// <summary>Deletes the task hub's queues, tables and blobs and the ledger table: the host must be stopped.</summary>
    public static async Task DeleteTaskHubAsync(string connectionString, string taskHub)
    {
        AzureStorageOrchestrationService service = new(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            UseTablePartitionManagement = true,
        });
        await service.DeleteAsync();
        await new TableServiceClient(connectionString).DeleteTableAsync($"{taskHub}Approvals");
    }

    public async ValueTask DisposeAsync()
    {
        await this.KillAsync();
        this.process?.Dispose();
        this.Http.Dispose();
        try
        {
            await DeleteTaskHubAsync(this.ConnectionString, this.TaskHub);
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or AggregateException or InvalidOperationException)
        {
            // Best effort: a unique task hub that nobody else uses.
        }
    }

    private static string HostDll()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "HitlFunctions.LocalHost.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }

        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent?.Name ?? "Debug";
        string built = Path.Combine(Azurite.RepositoryRoot(), "HitlFunctions.LocalHost", "bin", configuration, "net10.0", "HitlFunctions.LocalHost.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException("Build HitlFunctions.LocalHost first.", built);
    }

    /// <summary>Turns "connection refused" from a host that died on its own into a failure that shows its output.</summary>
    private sealed class ExitReporter(LocalHostProcess host) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception) when (host.process is { HasExited: true, ExitCode: not 137 } exited)
            {
                throw new InvalidOperationException($"The local host exited with code {exited.ExitCode}:\n{host.Log}", exception);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (this.log)
        {
            this.log.AppendLine(line);
        }
    }
}
