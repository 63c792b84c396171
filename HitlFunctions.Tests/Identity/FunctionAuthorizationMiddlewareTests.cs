using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using HitlFunctions.Identity;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.Identity;

/// <summary>
/// The Functions app's authorization middleware, called as the Functions worker calls it (a function context with the
/// ASP.NET Core integration's HttpContext), with the real services of a host.
/// </summary>
public sealed class FunctionAuthorizationMiddlewareTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private async Task<(bool Ran, HttpResponse Response, JsonElement? Body)> InvokeAsync(string entryPoint, string? token, bool http = true)
    {
        await using AsyncServiceScope scope = host.Services.CreateAsyncScope();
        DefaultHttpContext context = new() { RequestServices = scope.ServiceProvider };
        context.Response.Body = new MemoryStream();
        if (token is not null)
        {
            context.Request.Headers.Authorization = $"Bearer {token}";
        }

        TestFunctionContext function = new(scope.ServiceProvider, entryPoint, http ? context : null);
        bool ran = false;
        FunctionAuthorizationMiddleware middleware = ActivatorUtilities.CreateInstance<FunctionAuthorizationMiddleware>(scope.ServiceProvider);
        await middleware.Invoke(function, _ =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        context.Response.Body.Position = 0;
        JsonElement? body = context.Response.Body.Length > 0 ? JsonDocument.Parse(context.Response.Body).RootElement.Clone() : null;
        return (ran, context.Response, body);
    }

    [Fact]
    public async Task Middleware_NoToken_Answers401ProblemWithoutRunningTheFunction()
    {
        (bool ran, HttpResponse response, JsonElement? body) = await this.InvokeAsync("HitlFunctions.Operations.OperationsApi.ListInstances", token: null);

        Assert.False(ran);
        Assert.Equal(StatusCodes.Status401Unauthorized, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(401, body!.Value.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Middleware_NotAnOperator_Answers403()
    {
        (bool ran, HttpResponse response, _) = await this.InvokeAsync("HitlFunctions.Operations.OperationsApi.ListInstances", TestTokens.Person("ann@example.com"));

        Assert.False(ran);
        Assert.Equal(StatusCodes.Status403Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Middleware_Operator_RunsTheFunctionAsThem()
    {
        (bool ran, HttpResponse response, _) = await this.InvokeAsync("HitlFunctions.Operations.OperationsApi.ListInstances", TestTokens.Person("ops@example.com", "operator"));

        Assert.True(ran);
        Assert.Equal(StatusCodes.Status200OK, response.StatusCode);
    }

    [Fact]
    public async Task Middleware_AnonymousLinkAndNonHttpTriggers_Run()
    {
        (bool link, _, _) = await this.InvokeAsync("HitlFunctions.Links.LinksApi.ShowLink", token: null);
        (bool activity, _, _) = await this.InvokeAsync("HitlFunctions.Approvals.LedgerActivities.OpenApproval", token: null, http: false);

        Assert.True(link);
        Assert.True(activity);
    }

    [Fact]
    public void HttpFunctions_EachDeclaresWhoMayCall()
    {
        string[] undeclared = [.. FunctionCatalog.HttpFunctions
            .Where(f => f.Method.GetCustomAttribute<AuthorizeAttribute>() is null && f.Method.GetCustomAttribute<AllowAnonymousAttribute>() is null)
            .Select(f => f.Name)];

        Assert.Empty(undeclared);
        Assert.All(FunctionCatalog.HttpFunctions, f => Assert.Same(f.Method, FunctionAuthorizationMiddleware.Resolve($"{f.Method.DeclaringType!.FullName}.{f.Method.Name}")));
    }

    private sealed class TestFunctionContext(IServiceProvider services, string entryPoint, HttpContext? http) : FunctionContext
    {
        public override string InvocationId => "test-invocation";

        public override string FunctionId => entryPoint;

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = services;

        public override FunctionDefinition FunctionDefinition { get; } = new Definition(entryPoint);

        public override IDictionary<object, object> Items { get; set; } = http is null ? new Dictionary<object, object>() : new Dictionary<object, object> { ["HttpRequestContext"] = http };

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class Definition(string entryPoint) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(FunctionAuthorizationMiddleware).Assembly.Location;

        public override string EntryPoint => entryPoint;

        public override string Id => entryPoint;

        public override string Name => entryPoint[(entryPoint.LastIndexOf('.') + 1)..];

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
