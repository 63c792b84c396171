using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;

namespace HitlFunctions.Benchmarks;

/// <summary>
/// Counts this process's Azure Storage requests by kind (service, method, operation) from the Azure SDK's own
/// "Azure-Core" event source: every request of the Durable Task provider, the ledger and the outbox goes through it.
/// </summary>
public sealed class StorageRequestCounter : IDisposable
{
    private readonly AzureEventSourceListener listener;
    private readonly Dictionary<int, string> services;

    public StorageRequestCounter(int blobPort, int queuePort, int tablePort)
    {
        this.services = new Dictionary<int, string> { [blobPort] = "blob", [queuePort] = "queue", [tablePort] = "table" };
        this.listener = new AzureEventSourceListener(this.OnEvent, EventLevel.Informational);
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

    public void Dispose() => this.listener.Dispose();

    private void OnEvent(EventWrittenEventArgs args, string message)
    {
        if (args.EventName != "Request" || args.PayloadNames is null)
        {
            return;
        }

        int uriIndex = args.PayloadNames.IndexOf("uri");
        int methodIndex = args.PayloadNames.IndexOf("method");
        if (uriIndex < 0 || methodIndex < 0 || !Uri.TryCreate(args.Payload![uriIndex] as string, UriKind.Absolute, out Uri? uri)
            || !this.services.TryGetValue(uri.Port, out string? service))
        {
            return;
        }

        string kind = $"{service} {args.Payload[methodIndex]} {Operation(service, uri)}";
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
