namespace HitlFunctions.Notifications;

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
