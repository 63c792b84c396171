using System.Text.Json;
using Azure;
using HitlFunctions.Common;
using HitlFunctions.Tests.TestDoubles;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HitlFunctions.Tests.Common;

/// <summary>The Functions app's exception middleware, called as the worker calls it, with the function throwing.</summary>
public sealed class ProblemDetailsMiddlewareTests
{
    private static DefaultHttpContext NewHttpContext()
    {
        DefaultHttpContext context = new() { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Request.Method = "POST";
        context.Request.Path = "/api/approvals/x/decision";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<JsonElement> ProblemAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return (await JsonDocument.ParseAsync(context.Response.Body)).RootElement.Clone();
    }

    [Fact]
    public async Task Invoke_StorageOutage_Answers503ProblemWithRetryAfter()
    {
        DefaultHttpContext http = NewHttpContext();

        await new ProblemDetailsMiddleware(NullLogger<ProblemDetailsMiddleware>.Instance)
            .Invoke(new HttpFunctionContext(http), _ => throw new RequestFailedException(503, "server busy"));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal(ExceptionProblems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), http.Response.Headers.RetryAfter.ToString());
        Assert.Equal(503, (await ProblemAsync(http)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Invoke_Bug_Answers500WithoutTheExceptionsWords()
    {
        DefaultHttpContext http = NewHttpContext();

        await new ProblemDetailsMiddleware(NullLogger<ProblemDetailsMiddleware>.Instance)
            .Invoke(new HttpFunctionContext(http), _ => throw new InvalidOperationException("secret internal detail"));

        Assert.Equal(StatusCodes.Status500InternalServerError, http.Response.StatusCode);
        JsonElement problem = await ProblemAsync(http);
        Assert.DoesNotContain("secret internal detail", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_AfterTheResponseStarted_LetsTheExceptionThrough()
    {
        DefaultHttpContext http = NewHttpContext();
        StartedResponse started = new();
        http.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(started);

        await Assert.ThrowsAsync<InvalidOperationException>(() => new ProblemDetailsMiddleware(NullLogger<ProblemDetailsMiddleware>.Instance)
            .Invoke(new HttpFunctionContext(http), _ => throw new InvalidOperationException("too late")));
    }

    private sealed class StartedResponse : Microsoft.AspNetCore.Http.Features.HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
