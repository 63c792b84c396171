namespace HitlFunctions.Monitors;

/// <summary>What became of a pause, resume or stop.</summary>
public enum MonitorCommandResult
{
    /// <summary>Sent to the monitor, which obeys it at its next step.</summary>
    Accepted,

    /// <summary>No monitor with that id.</summary>
    NotFound,

    /// <summary>The monitor has stopped; nothing was sent.</summary>
    Stopped,
}
