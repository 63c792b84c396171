using HitlFunctions.Approvals;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HitlFunctions.Notifications;

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

    /// <summary>Event id of the line that says an email was written.</summary>
    public const int WrittenEventId = 2201;

    /// <summary>Event id of the line that says an email was written, with its approval link (Development only).</summary>
    public const int WrittenWithLinkEventId = 2202;

    [LoggerMessage(EventId = WrittenEventId, Level = LogLevel.Information, Message = "Email {Kind} to {To} written to {Path}")]
    private static partial void LogWritten(ILogger logger, NotificationKind kind, string to, string path);

    [LoggerMessage(EventId = WrittenWithLinkEventId, Level = LogLevel.Information, Message = "Email {Kind} to {To} written to {Path}. Development only, the approval link: {Link}")]
    private static partial void LogWrittenWithLink(ILogger logger, NotificationKind kind, string to, string path, Uri link);
}
