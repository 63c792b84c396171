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
        message.Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();
        return message;
    }
}
