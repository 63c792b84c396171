using System.Reflection;
using HitlFunctions.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Maps the Functions app's HTTP functions to ASP.NET Core endpoints under <c>/api</c>, as the Functions host does. Each
/// request is authorized by <see cref="FunctionAuthorization"/> from the method's <c>[Authorize]</c> attributes, the
/// same code the Functions app's middleware runs (rather than endpoint metadata and UseAuthorization, which the
/// Functions app cannot use), so every test of the local host exercises the Functions app's authorization.
/// </summary>
public static class HttpFunctionEndpoints
{
    /// <summary>The route prefix the Functions host uses by default.</summary>
    public const string RoutePrefix = "api";

    public static IEndpointRouteBuilder MapHttpFunctions(this IEndpointRouteBuilder endpoints)
    {
        foreach (HttpFunction function in FunctionCatalog.HttpFunctions)
        {
            Func<HttpContext, object?>[] binders = [.. function.Method.GetParameters().Select(p => Binder(function, p))];
            endpoints.MapMethods($"/{RoutePrefix}/{function.Route}", function.Methods, async context =>
                {
                    if (await context.RequestServices.GetRequiredService<FunctionAuthorization>().AuthorizeAsync(context, function.Method) is { } refused)
                    {
                        await refused.ExecuteAsync(context);
                        return;
                    }

                    object? target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, function.Method.DeclaringType!);
                    object? result = await FunctionInvoker.InvokeAsync(function.Method, target, [.. binders.Select(bind => bind(context))]);
                    if (result is IResult httpResult)
                    {
                        await httpResult.ExecuteAsync(context);
                    }
                })
                .WithName(function.Name);
        }

        return endpoints;
    }

    private static Func<HttpContext, object?> Binder(HttpFunction function, ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context => context.Request;
        }

        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null || parameter.ParameterType == typeof(DurableTaskClient))
        {
            return context => context.RequestServices.GetRequiredService<DurableTaskClient>();
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context => context.RequestAborted;
        }

        if (parameter.ParameterType == typeof(string) && function.Route.Contains($"{{{parameter.Name}}}", StringComparison.Ordinal))
        {
            string name = parameter.Name!;
            return context => context.Request.RouteValues[name]?.ToString();
        }

        throw new NotSupportedException($"Parameter '{parameter.Name}' of HTTP function {function.Name} has no local binding.");
    }
}
