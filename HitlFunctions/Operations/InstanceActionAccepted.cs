namespace HitlFunctions.Operations;

/// <summary>An accepted suspend, resume or terminate.</summary>
/// <param name="Action">suspend, resume or terminate.</param>
public sealed record InstanceActionAccepted(string Id, string Action);
