namespace HitlFunctions.Approvals;

/// <summary>
/// People's away rules (<see cref="DelegationRule"/>), one per person, kept beside the approval ledger in the same
/// storage: in memory with the in-memory ledger, in the ledger's table with the Azure Tables ledger.
/// </summary>
public interface IDelegationStore
{
    /// <summary>The rule <paramref name="owner"/> set, or null.</summary>
    Task<DelegationRule?> GetAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>Sets (or replaces) the owner's rule.</summary>
    Task SetAsync(DelegationRule rule, CancellationToken cancellationToken = default);

    /// <summary>Removes the owner's rule; false when there was none.</summary>
    Task<bool> RemoveAsync(string owner, CancellationToken cancellationToken = default);
}
