using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using HitlFunctions.Common;
using HitlFunctions.Operations;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Maps the Functions app's HTTP functions to ASP.NET Core endpoints under <c>/api</c>, as the Functions host does, with
/// the response and tag metadata their handler methods declare (<see cref="HttpFunctionMetadata"/>).
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
            bool admin = function.Method.GetCustomAttribute<AdminApiAttribute>() is not null;
            endpoints.MapMethods($"/{RoutePrefix}/{function.Route}", function.Methods, async context =>
                {
                    if (admin && AdminKeyProblem(context) is { } refused)
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
                .WithName(function.Name)
                .WithMetadata([.. Describing(function)]);
        }

        return endpoints;
    }

    /// <summary>
    /// The function's response and tag metadata. Not its request content types: routing would answer a request of another
    /// type with a bare 415 before the handler, which answers it with a problem as it does in Azure.
    /// </summary>
    private static IEnumerable<object> Describing(HttpFunction function) =>
        HttpFunctionMetadata.For(HttpFunctionMetadata.Routes.Single(r => r.Name == function.Name)).Where(m => m is not IAcceptsMetadata);

    /// <summary>Refuses a request to an admin endpoint without the configured key (constant-time comparison).</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? AdminKeyProblem(HttpContext context)
    {
        string? expected = context.RequestServices.GetRequiredService<IOptions<LocalHostOptions>>().Value.AdminKey;
        if (string.IsNullOrEmpty(expected))
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Admin key required", "Admin endpoints are disabled: set LocalHost:AdminKey.");
        }

        string given = context.Request.Headers["x-functions-key"].ToString() is { Length: > 0 } header ? header : context.Request.Query[QueryReader.FunctionKeyParameter].ToString();
        bool matches = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        return matches ? null : Problems.Create(StatusCodes.Status401Unauthorized, "Admin key required", "Send the admin key in the x-functions-key header.");
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
