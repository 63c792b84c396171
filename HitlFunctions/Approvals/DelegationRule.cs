namespace HitlFunctions.Approvals;

/// <summary>"From <see cref="Starts"/> until <see cref="Ends"/>, my approvals go to <see cref="To"/>": one person's away rule, persisted.</summary>
/// <param name="Owner">The person who is away, as they signed in.</param>
/// <param name="To">Who is asked on their behalf.</param>
/// <param name="Starts">When the rule starts to apply to newly opened approvals.</param>
/// <param name="Ends">When it stops (exclusive).</param>
/// <param name="Mode">Whether the owner stays asked as well, or the delegate is asked instead.</param>
/// <param name="Workflows">Only approvals of these workflow definitions; null or empty for all.</param>
/// <param name="SetAt">When the owner set it.</param>
public sealed record DelegationRule(
    string Owner, string To, DateTimeOffset Starts, DateTimeOffset Ends, DelegationMode Mode, IReadOnlyList<string>? Workflows, DateTimeOffset SetAt)
{
    public bool IsActive(DateTimeOffset at) => this.Starts <= at && at < this.Ends;

    /// <summary>Whether the rule applies to an approval of workflow definition <paramref name="definition"/> opened at <paramref name="at"/>.</summary>
    public bool Covers(string? definition, DateTimeOffset at) =>
        this.IsActive(at)
        && (this.Workflows is not { Count: > 0 } workflows || (definition is not null && workflows.Contains(definition, StringComparer.Ordinal)));
}
