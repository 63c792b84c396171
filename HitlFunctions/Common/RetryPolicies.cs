using Microsoft.DurableTask;

namespace HitlFunctions.Common;

/// <summary>Retry policies for activities, in one place.</summary>
public static class RetryPolicies
{
    /// <summary>For activities with side effects that are safe to repeat (idempotent by key).</summary>
    public static TaskOptions SideEffect { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2));

    /// <summary>Attempts of a workflow's action step unless its definition says otherwise.</summary>
    public const int DefaultActionAttempts = 3;

    /// <summary>For a workflow's action step: <paramref name="maxAttempts"/> attempts (default <see cref="DefaultActionAttempts"/>) with exponential backoff.</summary>
    public static TaskOptions Action(int? maxAttempts) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(maxAttempts ?? DefaultActionAttempts, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2));
}
