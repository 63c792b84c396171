using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Http;

/// <summary>
/// The HTTP triggers: thin adapters over <see cref="WorkflowsApi"/>, <see cref="ApprovalsApi"/> and <see cref="LinksApi"/>. The local host maps
/// these same methods from their attributes, so the routes are declared once, here.
/// </summary>
public sealed class HttpFunctions(WorkflowsApi workflows, ApprovalsApi approvals, LinksApi links)
{
    [Function(nameof(StartWorkflow))]
    public Task<IResult> StartWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => workflows.StartAsync(request, client);

    [Function(nameof(GetWorkflow))]
    public Task<IResult> GetWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workflows/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) => workflows.GetAsync(request, client, id);

    [Function(nameof(CancelWorkflow))]
    public Task<IResult> CancelWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) => workflows.CancelAsync(request, client, id);

    [Function(nameof(ListApprovals))]
    public Task<IResult> ListApprovals(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "approvals")] HttpRequest request) => approvals.ListAsync(request);

    [Function(nameof(GetApproval))]
    public Task<IResult> GetApproval(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "approvals/{approvalId}")] HttpRequest request,
        string approvalId) => approvals.GetAsync(request, approvalId);

    [Function(nameof(SubmitDecision))]
    public Task<IResult> SubmitDecision(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "approvals/{approvalId}/decision")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string approvalId) => approvals.DecideAsync(request, client, approvalId);

    [Function(nameof(RedeliverDecisions))]
    public Task<IResult> RedeliverDecisions(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "approvals/redeliver")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => approvals.RedeliverAsync(request, client);

    // Emailed links are anonymous at the Functions level: the signed link token is the credential (a function key
    // in an email would be a shared secret anyone could forward).
    [Function(nameof(ShowLink))]
    public Task<IResult> ShowLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "links/{token}")] HttpRequest request,
        string token) => links.ShowAsync(request, token);

    [Function(nameof(SubmitLink))]
    public Task<IResult> SubmitLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => links.SubmitAsync(request, client);
}

/// <summary>The monitor and operations triggers: admin endpoints (function keys in Azure, the admin key in the local host).</summary>
public sealed class AdminHttpFunctions(MonitorsApi monitors, OperationsApi operations)
{
    [AdminApi]
    [Function(nameof(StartMonitor))]
    public Task<IResult> StartMonitor(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "monitors")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => monitors.StartAsync(request, client);

    [AdminApi]
    [Function(nameof(GetMonitor))]
    public Task<IResult> GetMonitor(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "monitors/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) => monitors.GetAsync(request, client, id);

    [AdminApi]
    [Function(nameof(ControlMonitor))]
    public Task<IResult> ControlMonitor(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "monitors/{id}/{command}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        string command) => monitors.ControlAsync(request, client, id, command);

    [AdminApi]
    [Function(nameof(ListInstances))]
    public Task<IResult> ListInstances(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/instances")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => OperationsApi.ListInstancesAsync(request, client);

    [AdminApi]
    [Function(nameof(ListPendingApprovals))]
    public Task<IResult> ListPendingApprovals(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/approvals")] HttpRequest request) => operations.PendingApprovalsAsync(request);

    [AdminApi]
    [Function(nameof(GetAudit))]
    public Task<IResult> GetAudit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/instances/{id}/audit")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) => operations.AuditAsync(request, client, id);

    [AdminApi]
    [Function(nameof(ControlInstance))]
    public Task<IResult> ControlInstance(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/instances/{id}/{action}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        string action) => operations.ControlAsync(request, client, id, action);

    [AdminApi]
    [Function(nameof(PurgeInstances))]
    public Task<IResult> PurgeInstances(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/purge")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => operations.PurgeAsync(request, client);

    [AdminApi]
    [Function(nameof(GetSla))]
    public Task<IResult> GetSla(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/sla")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => operations.SlaAsync(request, client);
}
