namespace HitlFunctions.Common;

/// <summary>The Application Insights resource telemetry is exported to. Section <c>Telemetry:AzureMonitor</c>.</summary>
public sealed class AzureMonitorSettings
{
    /// <summary>Its connection string; empty means the <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> setting.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// <c>managedidentity</c> to send with an Entra ID token (the resource accepts nothing else when local
    /// authentication is disabled, as in the template); empty sends with the connection string's key.
    /// </summary>
    public string? Credential { get; set; }

    /// <summary>The user-assigned managed identity's client id, with <see cref="Credential"/> <c>managedidentity</c>.</summary>
    public string? ClientId { get; set; }
}
