using System.ComponentModel.DataAnnotations;
using OpenTelemetry.Exporter;

namespace HitlFunctions.Common;

/// <summary>OpenTelemetry export of the product's traces and metrics. Section <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string SectionName = "Telemetry";

    /// <summary>The exporters, combined with commas: None (default), Otlp, AzureMonitor, Console.</summary>
    public TelemetryExporters Exporters { get; set; } = TelemetryExporters.None;

    /// <summary>The service name on every span and metric. Default HitlFunctions.</summary>
    [Required]
    public string ServiceName { get; set; } = "HitlFunctions";

    /// <summary>The collector's address for Otlp; empty means OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4317 (gRPC).</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OTLP transport: Grpc (default) or HttpProtobuf.</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>The Application Insights resource for AzureMonitor.</summary>
    public AzureMonitorSettings AzureMonitor { get; set; } = new();

    /// <summary>How often the pending-approvals gauge recounts the ledger's pending index. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PendingRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (this.Exporters.HasFlag(TelemetryExporters.AzureMonitor) && string.IsNullOrWhiteSpace(this.AzureMonitor.ConnectionString))
        {
            yield return new ValidationResult(
                "Telemetry:Exporters includes AzureMonitor but neither Telemetry:AzureMonitor:ConnectionString nor APPLICATIONINSIGHTS_CONNECTION_STRING is set.",
                [nameof(this.AzureMonitor)]);
        }

        if (this.AzureMonitor.Credential is { Length: > 0 } credential && !string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Telemetry:AzureMonitor:Credential '{credential}' is not supported; use managedidentity or leave it empty.", [nameof(this.AzureMonitor)]);
        }

        if (this.OtlpEndpoint is { IsAbsoluteUri: false, OriginalString.Length: > 0 })
        {
            yield return new ValidationResult("Telemetry:OtlpEndpoint must be an absolute URL (http://collector:4317).", [nameof(this.OtlpEndpoint)]);
        }
    }
}
