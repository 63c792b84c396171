using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace HitlFunctions.Common;

/// <summary>The Functions app's last line of defence for HTTP functions: exceptions become problem+json via <see cref="ExceptionProblems"/>.</summary>
public sealed class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is { Response.HasStarted: false } httpContext)
        {
            await ExceptionProblems.WriteAsync(httpContext, exception, logger);
        }
    }
}
