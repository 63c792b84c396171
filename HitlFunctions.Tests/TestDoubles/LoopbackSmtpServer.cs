using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using HitlFunctions.Tests.Infrastructure;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>
/// A real SMTP server (the SmtpServer library) listening on a loopback port in the test process. It keeps every
/// message it accepts, parsed with MimeKit, and refuses recipients whose address contains "reject" (permanent failure).
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> received = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    private LoopbackSmtpServer(int port)
    {
        this.Port = port;
        ISmtpServerOptions options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        SmtpServer.ComponentModel.ServiceProvider services = new();
        services.Add(new Store(this.received));
        services.Add(new Filter());
        this.running = new SmtpServer.SmtpServer(options, services).StartAsync(this.stop.Token);
    }

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Received => [.. this.received];

    public static LoopbackSmtpServer Start() => new(Azurite.FreePort());

    /// <summary>Waits for a message to <paramref name="recipient"/> that matches, failing after the state timeout.</summary>
    public Task<MimeMessage> WaitForAsync(string recipient, Func<MimeMessage, bool>? match = null) =>
        LocalHostFixture.WaitFor(
            () => Task.FromResult(this.To(recipient).FirstOrDefault(m => match?.Invoke(m) ?? true)),
            $"an email to {recipient}");

    public IReadOnlyList<MimeMessage> To(string recipient) =>
        [.. this.received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)))];

    public async ValueTask DisposeAsync()
    {
        await this.stop.CancelAsync();
        try
        {
            await this.running;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        this.stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using MemoryStream stream = new(buffer.ToArray());
            received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!to.User.Contains("reject", StringComparison.OrdinalIgnoreCase));
    }
}
