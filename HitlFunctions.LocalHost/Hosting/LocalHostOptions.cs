using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>Where the local host keeps orchestrations and the approval ledger.</summary>
public enum LocalBackend
{
    /// <summary>Process memory: zero setup, forgets everything when the process stops.</summary>
    InMemory,

    /// <summary>
    /// The Durable Task Azure Storage provider (Durable Functions' default backend) and the ledger on Azure Tables,
    /// against Azurite or a storage account: survives restarts and crashes.
    /// </summary>
    AzureStorage,
}

/// <summary>Settings of the local host only. Section <c>LocalHost</c>.</summary>
public sealed class LocalHostOptions : IValidatableObject
{
    public const string SectionName = "LocalHost";

    /// <summary>InMemory (default) or AzureStorage. Command line: <c>--backend azurestorage</c>.</summary>
    public LocalBackend Backend { get; set; } = LocalBackend.InMemory;

    /// <summary>
    /// Orchestration and activity work items run at once. Default 256 for the in-memory backend (whose own limit is the
    /// processor count); the AzureStorage backend uses <see cref="MaxConcurrentOrchestrations"/> and
    /// <see cref="MaxConcurrentActivities"/>.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentWorkItems { get; set; } = 256;


    /// <summary>
    /// AzureStorage: the task hub name. Default <c>HitlFunctions</c>, the <c>hubName</c> in host.json, so the local host
    /// and the Functions app see the same instances. Command line: <c>--task-hub NAME</c>.
    /// </summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "A task hub name has 3 to 45 letters and digits and starts with a letter.")]
    public string TaskHub { get; set; } = "HitlFunctions";

    /// <summary>
    /// AzureStorage: the name of the connection string (in ConnectionStrings or at the root of configuration). Default
    /// <c>Storage</c>; <c>AzureWebJobsStorage</c> (the Functions app's setting) is used when that is not set.
    /// </summary>
    public string ConnectionName { get; set; } = "Storage";

    /// <summary>AzureStorage: the approval ledger's table. Default <c>{TaskHub}Approvals</c>.</summary>
    public string? LedgerTable { get; set; }

    /// <summary>
    /// AzureStorage: the longest wait between polls of an idle queue. Default 1 second (Durable Functions: 30 s). Events
    /// raised by this host's own HTTP handlers wake the poller at once; this bounds the delay for everything else: timers
    /// that come due, messages from another host process on the same task hub, and work after a storage outage. Each
    /// poll is one cheap request per partition, so a short interval costs little on Azurite or a dedicated account.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>AzureStorage: orchestration partitions (control queues), 1 to 16. Default 4.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>AzureStorage: orchestration episodes run at once. Default 100.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>AzureStorage: activities run at once. Default 32.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>
    /// AzureStorage: this process's name among the hosts of one task hub. Default machine name and HTTP port, so a restart
    /// on the same port takes its partitions back at once instead of waiting for their leases to expire.
    /// </summary>
    public string? WorkerId { get; set; }

    /// <summary>
    /// AzureStorage: how long a partition lease lasts without renewal. Default 30 seconds: after a host dies, another
    /// host of the same task hub takes over its partitions within about this long.
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// AzureStorage: how long a dequeued message stays invisible to other hosts. Default 2 minutes. After a crash, the
    /// work the dead process held comes back after this long; it must exceed the longest activity run.
    /// </summary>
    public TimeSpan QueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// On a graceful stop, how long work items already running may take to finish before the rest is left to the next
    /// start (nothing is committed after this). Default 10 seconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On a graceful stop, the longest the backend may take to release its partitions. Default 5 seconds.</summary>
    public TimeSpan BackendStopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (this.MaxQueuePollingInterval < TimeSpan.FromMilliseconds(100) || this.MaxQueuePollingInterval > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult("MaxQueuePollingInterval is between 100 ms and 1 minute.", [nameof(this.MaxQueuePollingInterval)]);
        }

        if (this.LeaseInterval < TimeSpan.FromSeconds(3))
        {
            yield return new ValidationResult("LeaseInterval is at least 3 seconds.", [nameof(this.LeaseInterval)]);
        }

        if (this.QueueVisibilityTimeout < TimeSpan.FromSeconds(2))
        {
            yield return new ValidationResult("QueueVisibilityTimeout is at least 2 seconds.", [nameof(this.QueueVisibilityTimeout)]);
        }
    }
}
