namespace HitlFunctions.Approvals;

/// <summary>What POST /api/approvals/redeliver did.</summary>
/// <param name="Delivered">How many recorded decisions reached their checkpoint now.</param>
public sealed record RedeliveryResult(int Delivered);
