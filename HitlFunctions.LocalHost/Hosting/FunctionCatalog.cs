using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>A durable function (orchestrator or activity) found by its Functions attributes.</summary>
public sealed record DurableFunction(string Name, MethodInfo Method, ParameterInfo Trigger, ParameterInfo? Input);

/// <summary>An HTTP function found by its Functions attributes.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel);

/// <summary>A timer- or queue-triggered function found by its Functions attributes.</summary>
/// <param name="Expression">The trigger's schedule or queue name, as declared (it may name a setting: <c>%Section:Key%</c>).</param>
public sealed record TriggeredFunction(string Name, MethodInfo Method, ParameterInfo Trigger, string Expression);

/// <summary>
/// Reads the Functions app's own declarations (<c>[Function]</c> with an orchestration, activity, HTTP, timer or queue trigger), so
/// the local host serves exactly what the Functions app declares. There is no second list to keep in step.
/// </summary>
public static class FunctionCatalog
{
    public static Assembly FunctionsAssembly { get; } = typeof(HitlServiceCollectionExtensions).Assembly;

    public static IReadOnlyList<DurableFunction> Orchestrators { get; } = Find<OrchestrationTriggerAttribute>(inputIsTrigger: false);

    public static IReadOnlyList<DurableFunction> Activities { get; } = Find<ActivityTriggerAttribute>(inputIsTrigger: true);

    public static IReadOnlyList<HttpFunction> HttpFunctions { get; } = [.. Functions()
        .Select(f => (f.Name, f.Method, Trigger: f.Method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
        .Where(f => f.Trigger is not null)
        .Select(f => new HttpFunction(
            f.Name,
            f.Method,
            f.Trigger!.Route ?? f.Name,
            [.. (f.Trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())],
            f.Trigger.AuthLevel))];

    public static IReadOnlyList<TriggeredFunction> TimerFunctions { get; } = FindTriggered<TimerTriggerAttribute>(t => t.Schedule);

    public static IReadOnlyList<TriggeredFunction> QueueFunctions { get; } = FindTriggered<QueueTriggerAttribute>(t => t.QueueName);

    /// <summary>Every function name the local host serves.</summary>
    public static IEnumerable<string> Names =>
        Orchestrators.Select(f => f.Name).Concat(Activities.Select(f => f.Name)).Concat(HttpFunctions.Select(f => f.Name))
            .Concat(TimerFunctions.Select(f => f.Name)).Concat(QueueFunctions.Select(f => f.Name));

    /// <summary>Resolves <c>%Setting%</c> in a trigger expression from configuration, as the Functions host does.</summary>
    public static string Resolve(string expression, IConfiguration configuration) =>
        expression is ['%', .. var setting, '%']
            ? configuration[setting] is { Length: > 0 } value ? value : throw new InvalidOperationException($"The setting '{setting}' that a trigger names is not set.")
            : expression;

    private static IReadOnlyList<TriggeredFunction> FindTriggered<TTrigger>(Func<TTrigger, string> expression)
        where TTrigger : Attribute => [.. Functions()
        .Select(f => (f.Name, f.Method, Trigger: f.Method.GetParameters().FirstOrDefault(p => p.GetCustomAttribute<TTrigger>() is not null)))
        .Where(f => f.Trigger is not null)
        .Select(f => new TriggeredFunction(f.Name, f.Method, f.Trigger!, expression(f.Trigger!.GetCustomAttribute<TTrigger>()!)))];

    private static IReadOnlyList<DurableFunction> Find<TTrigger>(bool inputIsTrigger)
        where TTrigger : Attribute => [.. Functions()
        .Select(f => (f.Name, f.Method, Trigger: f.Method.GetParameters().FirstOrDefault(p => p.GetCustomAttribute<TTrigger>() is not null)))
        .Where(f => f.Trigger is not null)
        .Select(f => new DurableFunction(
            f.Name,
            f.Method,
            f.Trigger!,
            inputIsTrigger ? f.Trigger : f.Method.GetParameters().FirstOrDefault(p => p != f.Trigger && !p.GetCustomAttributes().Any(IsBinding))))];

    private static IEnumerable<(string Name, MethodInfo Method)> Functions() =>
        FunctionsAssembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Attribute: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(f => f.Attribute is not null)
            .Select(f => (f.Attribute!.Name, f.Method));

    private static bool IsBinding(Attribute attribute) =>
        attribute.GetType().Namespace?.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal) == true;

    /// <summary>Registers every orchestrator and activity under its function name.</summary>
    public static void Register(DurableTaskRegistry registry)
    {
        foreach (DurableFunction orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator.Name, () => new FunctionOrchestrator(orchestrator));
        }

        foreach (DurableFunction activity in Activities)
        {
            registry.AddActivity(activity.Name, services => new FunctionActivity(activity, services));
        }
    }
}
