using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HitlFunctions.Notifications;

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
