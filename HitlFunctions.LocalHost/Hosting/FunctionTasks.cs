using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.DurableTask;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>Runs a Functions orchestrator method as a Durable Task orchestrator.</summary>
internal sealed class FunctionOrchestrator(DurableFunction function) : ITaskOrchestrator
{
    public Type InputType => function.Input?.ParameterType ?? typeof(object);

    public Type OutputType => FunctionInvoker.ResultType(function.Method);

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
        FunctionInvoker.InvokeAsync(function.Method, null, function.Method.GetParameters().Select(p => p == function.Trigger ? context : p == function.Input ? input : Unsupported(p)).ToArray());

    private static object Unsupported(ParameterInfo parameter) =>
        throw new NotSupportedException($"Orchestrator parameter '{parameter.Name}' of {parameter.Member.Name} has no local binding.");
}

/// <summary>Runs a Functions activity method as a Durable Task activity, its class built from the host's services.</summary>
internal sealed class FunctionActivity(DurableFunction function, IServiceProvider services) : ITaskActivity
{
    public Type InputType => function.Trigger.ParameterType;

    public Type OutputType => FunctionInvoker.ResultType(function.Method);

    public Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        object? target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.Method.DeclaringType!);
        object?[] arguments = [.. function.Method.GetParameters().Select(p => p == function.Trigger ? input : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None : services.GetRequiredService(p.ParameterType))];
        return FunctionInvoker.InvokeAsync(function.Method, target, arguments);
    }
}

/// <summary>Invokes a function method and unwraps its result.</summary>
internal static class FunctionInvoker
{
    /// <summary>
    /// Runs a timer- or queue-triggered function as the Functions host does: its class built in a scope of its own, the
    /// trigger's value for the trigger parameter, and the host's services, client and cancellation for the rest.
    /// </summary>
    public static async Task InvokeTriggeredAsync(TriggeredFunction function, IServiceProvider services, object trigger, CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        object? target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
        object?[] arguments = [.. function.Method.GetParameters().Select(p =>
            p == function.Trigger ? trigger
            : p.ParameterType == typeof(CancellationToken) ? cancellationToken
            : scope.ServiceProvider.GetRequiredService(p.ParameterType))];
        await InvokeAsync(function.Method, target, arguments);
    }

    public static Type ResultType(MethodInfo method) =>
        method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? method.ReturnType.GetGenericArguments()[0]
            : method.ReturnType == typeof(Task) ? typeof(object) : method.ReturnType;

    public static async Task<object?> InvokeAsync(MethodInfo method, object? target, object?[] arguments)
    {
        object? returned;
        try
        {
            returned = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(exception.InnerException).Throw();
            throw;
        }

        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
    }
}
