using MimeKit;

namespace HitlFunctions.Notifications;

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
