namespace HitlFunctions.Common;

/// <summary>Where traces and metrics go; combine with commas (<c>Otlp, Console</c>).</summary>
[Flags]
public enum TelemetryExporters
{
    /// <summary>Nowhere: spans and metrics are made only for listeners in the process.</summary>
    None = 0,

    /// <summary>An OpenTelemetry collector over OTLP (<see cref="TelemetryOptions.OtlpEndpoint"/>).</summary>
    Otlp = 1,

    /// <summary>Application Insights (<see cref="TelemetryOptions.AzureMonitor"/>).</summary>
    AzureMonitor = 2,

    /// <summary>The console, for local debugging.</summary>
    Console = 4,
}
