using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace HitlFunctions.Identity;

/// <summary>
/// The Functions app's authorization for HTTP triggers (ASP.NET Core integration): finds the function's method from its
/// entry point and lets <see cref="FunctionAuthorization"/> decide before the function runs. Other triggers pass.
/// </summary>
public sealed class FunctionAuthorizationMiddleware(FunctionAuthorization authorization) : IFunctionsWorkerMiddleware
{
    private static readonly ConcurrentDictionary<string, MethodInfo> Methods = new(StringComparer.Ordinal);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } httpContext)
        {
            await next(context);
            return;
        }

        MethodInfo method = Methods.GetOrAdd(context.FunctionDefinition.EntryPoint, Resolve);
        if (await authorization.AuthorizeAsync(httpContext, method) is { } refused)
        {
            await refused.ExecuteAsync(httpContext);
            return;
        }

        await next(context);
    }

    /// <summary>The method an entry point (<c>Namespace.Type.Method</c>) names, in this assembly.</summary>
    public static MethodInfo Resolve(string entryPoint)
    {
        int dot = entryPoint.LastIndexOf('.');
        Type? type = dot > 0 ? typeof(FunctionAuthorizationMiddleware).Assembly.GetType(entryPoint[..dot]) : null;
        return type?.GetMethod(entryPoint[(dot + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new InvalidOperationException($"The function entry point '{entryPoint}' names no method of this app.");
    }
}
