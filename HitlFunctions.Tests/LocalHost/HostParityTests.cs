using System.Text.Json;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>
/// The local host serves exactly what the Functions app declares: every orchestrator, activity and HTTP route in the
/// Functions SDK's generated functions.metadata exists in the local host, and nothing else.
/// </summary>
public sealed class HostParityTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly JsonElement[] Metadata = [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"))).RootElement.EnumerateArray()];

    private static string[] NamesOf(string triggerType) =>
        [.. Metadata.Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == triggerType)).Select(f => f.GetProperty("name").GetString()!).Order()];

    [Fact]
    public void Orchestrators_AreTheSameInBothHosts() =>
        Assert.Equal(NamesOf("orchestrationTrigger"), FunctionCatalog.Orchestrators.Select(o => o.Name).Order());

    [Fact]
    public void Activities_AreTheSameInBothHosts() =>
        Assert.Equal(NamesOf("activityTrigger"), FunctionCatalog.Activities.Select(a => a.Name).Order());

    [Fact]
    public void HttpRoutes_AreTheSameInBothHosts()
    {
        string[] functionsRoutes = [.. Metadata
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "httpTrigger"))
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetString()!.ToUpperInvariant()} /api/{b.GetProperty("route").GetString()}"))
            .Order()];

        string[] localRoutes = [.. host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .Order()];

        Assert.NotEmpty(functionsRoutes);
        Assert.Equal(functionsRoutes, localRoutes);
    }
}
