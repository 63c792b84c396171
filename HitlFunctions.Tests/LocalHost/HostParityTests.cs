using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>
/// The local host serves exactly what the Functions app declares: every orchestrator, activity, HTTP route, timer and
/// queue function in the Functions SDK's generated functions.metadata exists in the local host, and nothing else. What
/// the timer and queue functions do is proven by the tests that depend on them (redelivery here, the email path).
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
    public void TimerFunctions_AreTheSameInBothHosts_WithTheSameSchedules() =>
        Assert.Equal(
            Bindings("timerTrigger").Select(b => $"{b.Function} {b.Binding.GetProperty("schedule").GetString()}").Order(),
            FunctionCatalog.TimerFunctions.Select(f => $"{f.Name} {f.Expression}").Order());

    [Fact]
    public void QueueFunctions_AreTheSameInBothHosts_OnTheSameQueues() =>
        Assert.Equal(
            Bindings("queueTrigger").Select(b => $"{b.Function} {b.Binding.GetProperty("queueName").GetString()}").Order(),
            FunctionCatalog.QueueFunctions.Select(f => $"{f.Name} {f.Expression}").Order());

    [Fact]
    public void EveryFunction_IsServedByTheLocalHost_AndNoOther() =>
        Assert.Equal(Metadata.Select(f => f.GetProperty("name").GetString()!).Order(), FunctionCatalog.Names.Order());

    [Fact]
    public void HostJsonMaxDequeueCount_EqualsTheOutboxMaxAttempts() =>
        Assert.Equal(host.Services.GetRequiredService<IOptions<QueueTriggerSettings>>().Value.MaxDequeueCount, new NotificationOptions().MaxAttempts);

    [Fact]
    public async Task RecordedButUndeliveredDecision_IsRaisedByTheTimerFunction()
    {
        string id = LocalHostFixture.NewId("timer");
        await host.StartAsync(new { workflow = "content-review", input = new { topic = "timers", editor = "ed@example.com" }, id });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        // As if the host died between recording the decision and raising it: only the timer function can deliver it.
        DecisionRecording recorded = await host.Ledger.RecordDecisionAsync(
            approval.ApprovalId, new DecisionSubmission("ed@example.com", Verdict.Approve, null, "raised by the timer"), DateTimeOffset.UtcNow);
        Assert.Equal(DecisionRecordingStatus.Accepted, recorded.Status);

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal("raised by the timer", Assert.Single(workflow.Decisions).Comment);
    }

    private static IEnumerable<(string Function, JsonElement Binding)> Bindings(string triggerType) =>
        Metadata.SelectMany(f => f.GetProperty("bindings").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == triggerType)
            .Select(b => (f.GetProperty("name").GetString()!, b)));

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
