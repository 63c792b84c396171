using Azure;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HitlFunctions.Common;

/// <summary>
/// Turns an exception that escaped a handler into a problem+json answer: a storage or backend outage is a 503 with
/// Retry-After, a broken request is a 400; only a bug is a 500, and no answer carries a stack trace.
/// </summary>
public static partial class ExceptionProblems
{
    /// <summary>Seconds a client should wait before retrying after a 503.</summary>
    public const int RetryAfterSeconds = 5;

    public static Task WriteAsync(HttpContext context, Exception exception, ILogger logger) =>
        Handle(context, exception, logger).ExecuteAsync(context);

    /// <summary>
    /// Maps <paramref name="exception"/>, logs it when it is the server's fault, and sets Retry-After on a 503. Returns
    /// the problem to answer with; a handler that answers people with a page uses its status only.
    /// </summary>
    /// <param name="loggedPath">The path to log instead of the request's, when the path carries a secret (a link token).</param>
    public static ProblemHttpResult Handle(HttpContext context, Exception exception, ILogger logger, string? loggedPath = null)
    {
        ProblemHttpResult problem = Map(exception);
        if (problem.StatusCode >= 500)
        {
            LogUnhandled(logger, exception, context.Request.Method, loggedPath ?? context.Request.Path, problem.StatusCode);
        }

        if (problem.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return problem;
    }

    public static ProblemHttpResult Map(Exception exception) => exception switch
    {
        BadHttpRequestException bad => Problems.Create(bad.StatusCode, "Bad request", bad.Message),
        RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted } =>
            Problems.Unavailable("The workflow engine is not reachable right now; nothing was changed. Try again shortly."),
        HttpRequestException or TimeoutException or OperationCanceledException =>
            Problems.Unavailable("A backing service did not answer; nothing was changed. Try again shortly."),
        _ when IsStorageOutage(exception) =>
            Problems.Unavailable("Storage is not reachable right now; nothing was changed. Try again shortly."),
        _ => Problems.Create(StatusCodes.Status500InternalServerError, "Unexpected error", "The server failed to handle the request; the error was logged."),
    };

    /// <summary>
    /// True for a storage call that failed because storage did not answer or answered "busy" (after the SDK's own
    /// retries, which end in an <see cref="AggregateException"/>), as opposed to a refusal of the request itself.
    /// </summary>
    public static bool IsStorageOutage(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsStorageOutage),
        HttpRequestException or TimeoutException or IOException => true,
        _ => exception.InnerException is { } inner && IsStorageOutage(inner),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed; answered {StatusCode}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, int statusCode);
}
