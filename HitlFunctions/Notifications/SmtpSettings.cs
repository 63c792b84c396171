using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Notifications;

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
