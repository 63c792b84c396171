using System.Collections.Concurrent;

namespace HitlFunctions.Approvals;

/// <summary>Away rules in process memory, beside <see cref="InMemoryApprovalLedger"/>.</summary>
public sealed class InMemoryDelegationStore : IDelegationStore
{
    private readonly ConcurrentDictionary<string, DelegationRule> rules = new(StringComparer.OrdinalIgnoreCase);

    public Task<DelegationRule?> GetAsync(string owner, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.rules.GetValueOrDefault(owner.Trim()));

    public Task SetAsync(DelegationRule rule, CancellationToken cancellationToken = default)
    {
        this.rules[rule.Owner.Trim()] = rule;
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string owner, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.rules.TryRemove(owner.Trim(), out _));
}
