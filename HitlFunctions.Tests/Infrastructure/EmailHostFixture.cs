using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.TestDoubles;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// The local host with the whole email path on real parts: the notification outbox on Azurite's queue service (sent
/// markers in its table service), MailKit delivering to a real SMTP server on loopback, and links built from the
/// host's own public address. Failing sends are retried quickly and poisoned after two deliveries.
/// </summary>
public sealed class EmailHostFixture : IAsyncLifetime
{
    private WebApplication? app;

    public LoopbackSmtpServer Smtp { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    public string BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public DurableTaskClient Durable { get; private set; } = null!;

    public IServiceProvider Services => this.app!.Services;

    public StorageNotificationQueue Queue => (StorageNotificationQueue)this.Services.GetRequiredService<INotificationQueue>();

    public async Task InitializeAsync()
    {
        string storage = await Azurite.ConnectionStringAsync();
        this.Smtp = LoopbackSmtpServer.Start();
        int port = Azurite.FreePort();
        this.BaseUrl = $"http://127.0.0.1:{port}";
        string suffix = Guid.NewGuid().ToString("N")[..12];
        string[] args =
        [
            $"--urls={this.BaseUrl}",
            "--Logging:LogLevel:Default=Warning",
            $"--Links:SigningKeys:0:Id={TestKeys.CurrentId}",
            $"--Links:SigningKeys:0:Secret={TestKeys.CurrentSecret}",
            $"--Links:PublicBaseUrl={this.BaseUrl}",
            "--Links:RefusalFloor=00:00:00",
            "--Limits:MinReminderInterval=00:00:01",
            "--Limits:MinLevelTimeout=00:00:01",
            "--Notifications:Queue=AzureStorage",
            $"--Notifications:ConnectionString={storage}",
            $"--Notifications:QueueName=hitl-test-{suffix}",
            $"--Notifications:SentTableName=HitlSent{suffix}",
            "--Notifications:MaxAttempts=2",
            "--Notifications:SendAttempts=2",
            "--Notifications:SendRetryDelay=00:00:00.050",
            "--AzureFunctionsJobHost:extensions:queues:maxDequeueCount=2",
            "--AzureFunctionsJobHost:extensions:queues:visibilityTimeout=00:00:00.200",
            "--AzureFunctionsJobHost:extensions:queues:maxPollingInterval=00:00:00.200",
            "--Email:Delivery=Smtp",
            "--Email:From=HitlFunctions <approvals@hitl.test>",
            "--Email:Smtp:Host=127.0.0.1",
            $"--Email:Smtp:Port={this.Smtp.Port}",
            "--Email:Smtp:Security=None",
            "--Identity:SignIn:Enabled=true",
            .. TestKeys.BearerArguments,
        ];
        this.app = LocalHostApp.Build(args, services => services.AddSingleton<ILoggerProvider>(this.Logs));
        await this.app.StartAsync();
        this.Http = TestTokens.Client(new Uri(this.BaseUrl), TestTokens.Integration(LocalHostFixture.Integration, "integration", "on-behalf", "operator"), LocalHostFixture.StateTimeout);
        this.Durable = this.app.Services.GetRequiredService<DurableTaskClient>();
    }

    public async Task DisposeAsync()
    {
        this.Http?.Dispose();
        if (this.app is not null)
        {
            await this.app.StopAsync();
            await this.Queue.Queue.DeleteIfExistsAsync();
            await this.Queue.PoisonQueue.DeleteIfExistsAsync();
            await this.app.DisposeAsync();
        }

        await this.Smtp.DisposeAsync();
    }
}
