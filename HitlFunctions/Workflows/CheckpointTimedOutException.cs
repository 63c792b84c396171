namespace HitlFunctions.Workflows;

/// <summary>Thrown when a checkpoint whose policy is to fail times out; it fails the workflow instance.</summary>
public sealed class CheckpointTimedOutException(string message) : Exception(message);
