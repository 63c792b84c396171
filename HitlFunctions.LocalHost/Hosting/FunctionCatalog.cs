using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>A durable function (orchestrator or activity) found by its Functions attributes.</summary>
public sealed record DurableFunction(string Name, MethodInfo Method, ParameterInfo Trigger, ParameterInfo? Input);

/// <summary>An HTTP function found by its Functions attributes.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel);

/// <summary>
/// Reads the Functions app's own declarations (<c>[Function]</c> with an orchestration, activity or HTTP trigger), so
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
