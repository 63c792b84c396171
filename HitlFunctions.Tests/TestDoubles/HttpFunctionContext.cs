using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>
/// The <see cref="FunctionContext"/> of one HTTP invocation, as the Functions worker's ASP.NET Core integration hands it
/// to middleware: the request's <see cref="HttpContext"/> under its items. Only what middleware reads is there.
/// </summary>
public sealed class HttpFunctionContext(HttpContext httpContext) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId { get; } = "test";

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext => throw new NotSupportedException();

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; } = httpContext.RequestServices;

    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

    // The key the ASP.NET Core integration keeps the invocation's HttpContext under (FunctionContext.GetHttpContext()).
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object> { ["HttpRequestContext"] = httpContext };

    public override IInvocationFeatures Features => throw new NotSupportedException();
}
