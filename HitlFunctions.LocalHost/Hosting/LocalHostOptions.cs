using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>Settings of the local host only. Section <c>LocalHost</c>.</summary>
public sealed class LocalHostOptions
{
    public const string SectionName = "LocalHost";

    /// <summary>
    /// Orchestration and activity work items the in-memory backend runs at once. Default 256; the in-memory service's
    /// own limit is the processor count.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentWorkItems { get; set; } = 256;

    /// <summary>
    /// The key admin endpoints require, in the <c>x-functions-key</c> header or the <c>code</c> query parameter, as
    /// function keys are sent in Azure. Without one, admin endpoints refuse every request. appsettings.Development.json
    /// sets a well-known key for local development only.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>How often undelivered decisions are raised again. Default 30 seconds.</summary>
    public TimeSpan RedeliveryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
