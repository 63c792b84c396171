namespace HitlFunctions.Operations;

/// <summary>What became of a suspend, resume or terminate.</summary>
public enum InstanceActionResult
{
    /// <summary>Done (the backend carries it out).</summary>
    Accepted,

    /// <summary>No instance with that id.</summary>
    NotFound,

    /// <summary>The instance has finished; nothing was changed.</summary>
    Finished,
}
