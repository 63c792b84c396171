namespace HitlFunctions.Tests.TestDoubles;

/// <summary>A clock a test sets by hand.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => this.Now;
}
