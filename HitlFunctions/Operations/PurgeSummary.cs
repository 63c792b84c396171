namespace HitlFunctions.Operations;

/// <summary>What POST /api/ops/purge removed.</summary>
/// <param name="Purged">How many finished instances were purged.</param>
public sealed record PurgeSummary(int Purged);
