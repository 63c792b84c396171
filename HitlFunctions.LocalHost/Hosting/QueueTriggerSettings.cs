namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// host.json's <c>extensions.queues</c>, read by the local host as the Functions host reads it (section
/// <c>AzureFunctionsJobHost:extensions:queues</c>, so <c>AzureFunctionsJobHost__extensions__queues__…</c> overrides it in
/// both). The defaults are the Functions host's.
/// </summary>
public sealed class QueueTriggerSettings
{
    public const string SectionName = "AzureFunctionsJobHost:extensions:queues";

    /// <summary>Deliveries of a message before it moves to <c>{queue}-poison</c>. Default 5.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a message whose function failed stays invisible before it is delivered again. Default 0.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>The longest wait between polls of an empty queue; polling backs off to it. Default 1 minute.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages taken, and run in parallel, per poll. Default 16.</summary>
    public int BatchSize { get; set; } = 16;
}
