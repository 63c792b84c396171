using HitlFunctions.Approvals;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.TestDoubles;
using Microsoft.Extensions.Hosting.Internal;
using MimeKit;

namespace HitlFunctions.Tests.Notifications;

/// <summary>The zero-setup delivery: .eml files a mail program opens, and the link in the log in Development only.</summary>
public sealed class PickupFolderEmailTransportTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("hitl-pickup-").FullName;

    public void Dispose() => Directory.Delete(this.folder, recursive: true);

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    public async Task Send_WritesAParsableQuotedPrintableEml_AndLogsTheLinkOnlyInDevelopment(string environmentName, bool linkLogged)
    {
        CapturingLoggerProvider logs = new();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        PickupFolderEmailTransport transport = new(
            Microsoft.Extensions.Options.Options.Create(new EmailOptions { PickupFolder = this.folder }),
            new HostingEnvironment { EnvironmentName = environmentName, ContentRootPath = Path.GetTempPath() },
            factory.CreateLogger<PickupFolderEmailTransport>());
        Uri link = new("http://localhost:7071/api/links/k.payload.signature");
        EmailMessage email = new(new string('a', 40), NotificationKind.Request, "ann@example.com", "Approval needed: X", "Öffnen – open " + link, $"<a href=\"{link}\">Öffnen – open</a>", link);

        await transport.SendAsync(email, CancellationToken.None);

        string file = Assert.Single(Directory.GetFiles(this.folder, "*.eml"));
        using MimeMessage message = await MimeMessage.LoadAsync(file);
        Assert.Equal(("Approval needed: X", "ann@example.com"), (message.Subject, message.To.Mailboxes.Single().Address));
        Assert.Contains(link.ToString(), message.TextBody, StringComparison.Ordinal);
        Assert.Contains(link.ToString(), message.HtmlBody, StringComparison.Ordinal);
        Assert.All(message.BodyParts.OfType<TextPart>(), part => Assert.Equal((ContentEncoding.QuotedPrintable, "utf-8"), (part.ContentTransferEncoding, part.ContentType.Charset)));
        Assert.Contains("Content-Transfer-Encoding: quoted-printable", await File.ReadAllTextAsync(file), StringComparison.OrdinalIgnoreCase);
        CapturingLoggerProvider.Entry written = Assert.Single(logs.Entries);
        Assert.Equal(linkLogged ? PickupFolderEmailTransport.WrittenWithLinkEventId : PickupFolderEmailTransport.WrittenEventId, written.EventId);
        Assert.Equal(linkLogged, written.Values.Values.Any(v => v?.ToString()?.Contains("k.payload.signature", StringComparison.Ordinal) == true));
    }
}
