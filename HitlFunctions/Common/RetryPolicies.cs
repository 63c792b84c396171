using Microsoft.DurableTask;

namespace HitlFunctions.Common;

/// <summary>Retry policies for activities, in one place.</summary>
public static class RetryPolicies
{
    /// <summary>For activities with side effects that are safe to repeat (idempotent by key).</summary>
    public static TaskOptions SideEffect { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2));
}
