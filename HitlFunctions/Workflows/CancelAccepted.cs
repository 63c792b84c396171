namespace HitlFunctions.Workflows;

/// <summary>A cancel the workflow will act on.</summary>
/// <param name="Status">Always cancel-requested.</param>
public sealed record CancelAccepted(string Id, string Status, string StatusUrl);
