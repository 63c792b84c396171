using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Notifications;

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
