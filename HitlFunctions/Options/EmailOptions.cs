using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Options;

/// <summary>How emails leave the app.</summary>
public enum EmailDelivery
{
    /// <summary>.eml files in <see cref="EmailOptions.PickupFolder"/>, and a log line with each link: zero setup, development only.</summary>
    Pickup,

    /// <summary>An SMTP server (<see cref="EmailOptions.Smtp"/>).</summary>
    Smtp,
}

/// <summary>When and how SMTP connections are encrypted.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it.</summary>
    Auto,

    /// <summary>No TLS: only for a server on loopback.</summary>
    None,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>STARTTLS, required (port 587).</summary>
    StartTls,
}

/// <summary>Email rendering and delivery. Section <c>Email</c>.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    /// <summary>Pickup (default) or Smtp.</summary>
    public EmailDelivery Delivery { get; set; } = EmailDelivery.Pickup;

    /// <summary>The sender address. Default "HitlFunctions &lt;approvals@localhost&gt;".</summary>
    [Required]
    public string From { get; set; } = "HitlFunctions <approvals@localhost>";

    /// <summary>Where Pickup writes .eml files, relative to the app's content root. Default .data/mail.</summary>
    [Required]
    public string PickupFolder { get; set; } = ".data/mail";

    /// <summary>The folder of subject and body templates, relative to the app's folder. Default EmailTemplates.</summary>
    [Required]
    public string TemplateFolder { get; set; } = "EmailTemplates";

    /// <summary>The SMTP server, for Delivery = Smtp.</summary>
    public SmtpSettings Smtp { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MimeKit.MailboxAddress.TryParse(this.From, out _))
        {
            yield return new ValidationResult($"Email:From '{this.From}' is not an email address.", [nameof(this.From)]);
        }

        if (this.Delivery == EmailDelivery.Smtp && string.IsNullOrWhiteSpace(this.Smtp.Host))
        {
            yield return new ValidationResult("Email:Smtp:Host is required when Email:Delivery is Smtp.", [nameof(this.Smtp)]);
        }
    }
}

/// <summary>An SMTP server's address and credentials. Section <c>Email:Smtp</c>.</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }

    /// <summary>The port. Default 587.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Auto (default), None, SslOnConnect or StartTls.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>The user name, when the server requires authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>The password, from a secret store.</summary>
    public string? Password { get; set; }

    /// <summary>How long one SMTP exchange may take. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
