using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace HitlFunctions.Benchmarks;

/// <summary>
/// Counts this process's Azure Storage requests by kind (service, method, operation) from the Azure SDK's own
/// "Azure-Core" event source: every request of the Durable Task provider, the ledger and the outbox goes through it.
/// It listens only while it exists (the M5 phase), and formats nothing, so it costs the other metrics nothing.
/// </summary>
public sealed class StorageRequestCounter : EventListener
{
    private const string AzureCore = "Azure-Core";
    private readonly Dictionary<int, string> services;

    public StorageRequestCounter(int blobPort, int queuePort, int tablePort)
    {
        this.services = new Dictionary<int, string> { [blobPort] = "blob", [queuePort] = "queue", [tablePort] = "table" };

        // Sources that existed before this listener were announced from the base constructor, before the fields
        // were set; enable the SDK's source here.
        foreach (EventSource source in EventSource.GetSources().Where(s => s.Name == AzureCore))
        {
            this.EnableEvents(source, EventLevel.Informational);
        }
    }

    public ConcurrentDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts so far; <paramref name="reset"/> starts counting again from zero.</summary>
    public Dictionary<string, long> Snapshot(bool reset)
    {
        Dictionary<string, long> copy = new(this.Counts, StringComparer.Ordinal);
        if (reset)
        {
            this.Counts.Clear();
        }

        return copy;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == AzureCore && this.services is not null)
        {
            this.EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "Request" || eventData.PayloadNames is null || this.services is null)
        {
            return;
        }

        int uriIndex = eventData.PayloadNames.IndexOf("uri");
        int methodIndex = eventData.PayloadNames.IndexOf("method");
        if (uriIndex < 0 || methodIndex < 0 || !Uri.TryCreate(eventData.Payload![uriIndex] as string, UriKind.Absolute, out Uri? uri)
            || !this.services.TryGetValue(uri.Port, out string? service))
        {
            return;
        }

        string kind = $"{service} {eventData.Payload[methodIndex]} {Operation(service, uri)}";
        this.Counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    private static string Operation(string service, Uri uri)
    {
        string? comp = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).FirstOrDefault(p => p[0] == "comp")?.ElementAtOrDefault(1);
        if (comp is not null)
        {
            return comp;
        }

        string[] parts = uri.AbsolutePath.Trim('/').Split('/');
        return service switch
        {
            "table" => parts.Length > 1 && parts[1].Contains('(', StringComparison.Ordinal) ? "entity" : "query",
            "queue" => parts.Length > 2 ? parts[2] : "queue",
            _ => parts.Length > 2 ? "blob" : "container",
        };
    }
}
