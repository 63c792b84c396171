namespace HitlFunctions.Common;

/// <summary>The names of the external events the orchestrations wait for, in one place.</summary>
public static class DurableEvents
{
    /// <summary>Asks a workflow, or a checkpoint, to stop with outcome cancelled.</summary>
    public const string Cancel = "Cancel";

    /// <summary>Pauses, resumes or stops a monitor.</summary>
    public const string MonitorControl = "MonitorControl";

    /// <summary>
    /// The event that carries answers for one approval. Every checkpoint level has its own approval id and so its own
    /// event name: a late answer to a level that already escalated can never satisfy the next level's wait.
    /// </summary>
    public static string Decision(string approvalId) => $"Decision-{approvalId}";
}
