using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using HitlFunctions.Models;
using HitlFunctions.Options;
using HitlFunctions.Http;
using HitlFunctions.Links;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HitlFunctions.Services;

/// <summary>A rendered email for one recipient.</summary>
/// <param name="Key">The outbox message's dedupe key; also the Message-Id's local part.</param>
/// <param name="Link">The recipient's approval link, when the email has one.</param>
public sealed record EmailMessage(string Key, NotificationKind Kind, string To, string Subject, string Text, string Html, Uri? Link);

/// <summary>Delivers rendered emails.</summary>
public interface IEmailTransport
{
    Task SendAsync(EmailMessage email, CancellationToken cancellationToken);
}

/// <summary>Builds the MIME message both transports send: plain text and HTML alternatives.</summary>
public static class MimeMessages
{
    public static MimeMessage Build(EmailMessage email, string from)
    {
        MimeMessage message = new();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Subject = email.Subject;
        message.MessageId = $"{email.Key}@hitlfunctions";
        message.Headers.Add("X-Hitl-Notification", email.Kind.ToString());
        message.Body = new MultipartAlternative { Utf8Part("plain", email.Text), Utf8Part("html", email.Html) };
        return message;
    }

    // Quoted-printable keeps the mostly-ASCII text readable in the raw message and within the line-length limits of
    // SMTP; without a declared encoding, 8-bit UTF-8 is only safe where every relay speaks 8BITMIME.
    private static TextPart Utf8Part(string subtype, string text)
    {
        TextPart part = new(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(System.Text.Encoding.UTF8, text);
        return part;
    }
}

/// <summary>Sends over SMTP with MailKit: host, port, TLS mode and credentials from <see cref="EmailOptions.Smtp"/>.</summary>
public sealed class SmtpEmailTransport(IOptions<EmailOptions> options) : IEmailTransport
{
    public async Task SendAsync(EmailMessage email, CancellationToken cancellationToken)
    {
        EmailOptions settings = options.Value;
        SmtpSettings smtp = settings.Smtp;
        using SmtpClient client = new() { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        SecureSocketOptions security = smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(smtp.Host ?? "localhost", smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
        }

        using MimeMessage message = MimeMessages.Build(email, settings.From);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>
/// Local development with zero setup: writes each email as an .eml file to <see cref="EmailOptions.PickupFolder"/>
/// (open it with any mail program) and, in Development only, logs the approval link. This is the one place a link,
/// and so a token, is ever logged, so that a newcomer can click it from the console.
/// </summary>
public sealed partial class PickupFolderEmailTransport(IOptions<EmailOptions> options, IHostEnvironment environment, ILogger<PickupFolderEmailTransport> logger) : IEmailTransport
{
    /// <summary>The folder, made absolute against the app's content root (the project folder under <c>dotnet run</c>).</summary>
    public string Folder => Path.GetFullPath(options.Value.PickupFolder, environment.ContentRootPath);

    public async Task SendAsync(EmailMessage email, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(this.Folder);
        string path = Path.Combine(this.Folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{email.Kind}-{email.Key[..12]}.eml");
        string temporary = path + ".tmp";
        using (MimeMessage message = MimeMessages.Build(email, options.Value.From))
        {
            await message.WriteToAsync(temporary, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
        if (email.Link is { } link && environment.IsDevelopment())
        {
            LogWrittenWithLink(logger, email.Kind, email.To, path, link);
        }
        else
        {
            LogWritten(logger, email.Kind, email.To, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Kind} to {To} written to {Path}")]
    private static partial void LogWritten(ILogger logger, NotificationKind kind, string to, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Kind} to {To} written to {Path}. Development only, the approval link: {Link}")]
    private static partial void LogWrittenWithLink(ILogger logger, NotificationKind kind, string to, string path, Uri link);
}

/// <summary>
/// Renders an outbox message into an email from template files (<c>{Kind}.subject.txt</c>, <c>{Kind}.txt</c>,
/// <c>{Kind}.html</c> in <see cref="EmailOptions.TemplateFolder"/>; placeholders <c>{{name}}</c>), read at each
/// render so they can be changed without a build. Approvers' emails get their own link, issued here from the live
/// ledger, so no token passes through durable history or the queue.
/// </summary>
public sealed partial class EmailRenderer(IApprovalLedger ledger, LinkTokens tokens, LinkBaseUrl baseUrl, IOptions<LinkOptions> linkOptions, IOptions<EmailOptions> emailOptions)
{
    [GeneratedRegex(@"\{\{\s*([a-zA-Z]+)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>Renders the email, or returns null when it is pointless now (the approval it asks about is closed).</summary>
    public async Task<EmailMessage?> RenderAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        NotificationMessage notification = message.Notification;
        ApprovalRecord? record = await ledger.GetAsync(notification.ApprovalId, cancellationToken);
        Uri? link = null;
        if (notification.Kind != NotificationKind.DecisionNotice)
        {
            if (record is not { State: ApprovalState.Pending })
            {
                return null;
            }

            LinkActions actions = LinkActions.Approve | LinkActions.Reject | (record.Ticket.AllowEdits ? LinkActions.ApproveWithEdits : LinkActions.None);
            string token = tokens.Issue(record.ApprovalId, message.Recipient, record.Ticket.Level, actions, record.Ticket.DueAt + linkOptions.Value.ExpiryGrace);
            link = baseUrl.LinkFor(token);
        }

        Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase)
        {
            ["title"] = notification.Title,
            ["recipient"] = message.Recipient,
            ["link"] = link?.ToString() ?? string.Empty,
            ["deadline"] = LinkPages.Time(notification.DueAt),
            ["level"] = notification.Level.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["detail"] = notification.Detail ?? string.Empty,
            ["workflowId"] = notification.WorkflowId,
            ["proposal"] = record is null ? string.Empty : Excerpt(LinkPages.ProposalText(record.Ticket.Proposal)),
            ["context"] = record?.Ticket.Context ?? string.Empty,
            ["approvers"] = record is null ? string.Empty : string.Join(", ", record.Ticket.Approvers),
        };

        string kind = notification.Kind.ToString();
        string subject = Fill(await this.ReadAsync($"{kind}.subject.txt", cancellationToken), values, html: false).Trim().ReplaceLineEndings(" ");
        string text = Fill(await this.ReadAsync($"{kind}.txt", cancellationToken), values, html: false);
        string htmlBody = Fill(await this.ReadAsync($"{kind}.html", cancellationToken), values, html: true);
        return new EmailMessage(message.DedupeKey, notification.Kind, message.Recipient, subject, text, htmlBody, link);
    }

    private Task<string> ReadAsync(string name, CancellationToken cancellationToken)
    {
        string folder = emailOptions.Value.TemplateFolder;
        string path = Path.Combine(Path.IsPathRooted(folder) ? folder : Path.Combine(AppContext.BaseDirectory, folder), name);
        return File.ReadAllTextAsync(path, cancellationToken);
    }

    private static string Fill(string template, Dictionary<string, string> values, bool html) =>
        Placeholder().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out string? value)
            ? (html ? HtmlEncoder.Default.Encode(value) : value)
            : match.Value);

    private static string Excerpt(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
