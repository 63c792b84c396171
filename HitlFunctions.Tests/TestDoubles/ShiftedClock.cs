namespace HitlFunctions.Tests.TestDoubles;

/// <summary>The system clock, moved on by <see cref="Offset"/>: the app's idea of now, while the orchestrations' timers keep real time.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + this.Offset;
}
