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
