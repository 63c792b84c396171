using HitlFunctions.Common;
using HitlFunctions.Identity;
using HitlFunctions.Monitors;
using HitlFunctions.Operations;
using HitlFunctions.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Dashboard;

/// <summary>
/// The operations dashboard: pages for operators over the same <see cref="OperationsService"/> the operations API
/// presents as JSON. Forms post to these functions with ASP.NET Core's antiforgery token; actions are audited with the
/// signed-in operator.
/// </summary>
public sealed partial class DashboardApi(OperationsService operations, IAntiforgery antiforgery, ILogger<DashboardApi> logger)
{
    /// <summary>The longest reason a terminate takes.</summary>
    public const int MaxReasonLength = 500;

    private const int InstancesPerPage = 25;
    private const int MonitorsPerPage = 10;

    /// <summary>What runs, what waits, who is slow, which incidents are open.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [QueryParameter("period", typeof(string), "1d, 7d (default) or 30d: instances created in that period.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardOverview))]
    public async Task<IResult> DashboardOverview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        QueryReader query = new(request.Query);
        string period = query.OneOf("period", [.. OverviewPage.Periods.Select(p => p.Value)]) ?? "7d";
        if (query.Error(["period"]) is { } error)
        {
            return Refused(request, error);
        }

        TimeSpan length = TimeSpan.FromDays(int.Parse(period[..^1], System.Globalization.CultureInfo.InvariantCulture));
        OperationsOverview overview = await operations.GetOverviewAsync(client, operations.Now - length, request.HttpContext.RequestAborted);
        return Page<OverviewPage>(request, new() { [nameof(OverviewPage.Overview)] = overview, [nameof(OverviewPage.Period)] = period });
    }

    /// <summary>Pending approvals grouped by the approvers who have not answered (or by definition), from the ledger's index.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [QueryParameter("group", typeof(string), "approver (default) or definition.")]
    [QueryParameter("approver", typeof(string), "Only approvals that ask this address.")]
    [QueryParameter("definition", typeof(string), "Only approvals of this workflow definition.")]
    [QueryParameter("level", typeof(int), "Only approvals at this escalation level.")]
    [QueryParameter("overdue", typeof(bool), "Only approvals past their deadline.")]
    [QueryParameter("sort", typeof(string), "oldest (default) or newest.")]
    [QueryParameter("page", typeof(int), "The page of groups, from 1.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardBlocking))]
    public async Task<IResult> DashboardBlocking([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/blocking")] HttpRequest request)
    {
        QueryReader query = new(request.Query);
        BlockingQuery blocking = new(
            query.OneOf("group", "approver", "definition") ?? "approver",
            query.Text("approver")?.Trim(),
            query.WholeNumber("level", 1, 100),
            query.Text("definition")?.Trim(),
            query.Flag("overdue") ?? false,
            query.OneOf("sort", "oldest", "newest") ?? "oldest",
            query.WholeNumber("page", 1, 100_000) ?? 1);
        if (query.Error(["group", "approver", "definition", "level", "overdue", "sort", "page"]) is { } error)
        {
            return Refused(request, error);
        }

        DateTimeOffset now = operations.Now;
        var pending = await operations.ListPendingAsync(new PendingFilter(blocking.Approver, blocking.Level, Overdue: blocking.Overdue, Definition: blocking.Definition), now, request.HttpContext.RequestAborted);
        BlockingView view = BlockingView.Build(pending, blocking, now);
        return Page<BlockingPage>(request, new() { [nameof(BlockingPage.Query)] = blocking, [nameof(BlockingPage.View)] = view, [nameof(BlockingPage.Now)] = now });
    }

    /// <summary>Instances, filtered and paged, each with what it waits for.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [QueryParameter("status", typeof(string), "Runtime status: Running, Pending, Completed, Failed, Terminated, Suspended.")]
    [QueryParameter("kind", typeof(string), "workflow, monitor or checkpoint.")]
    [QueryParameter("definition", typeof(string), "Only instances of this definition.")]
    [QueryParameter("createdAfter", typeof(DateTimeOffset), "Created at or after (UTC).")]
    [QueryParameter("createdBefore", typeof(DateTimeOffset), "Created before (UTC).")]
    [QueryParameter("continuationToken", typeof(string), "The previous page's continuation token.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardInstances))]
    public async Task<IResult> DashboardInstances([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/instances")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        QueryReader query = new(request.Query);
        InstanceFilter filter = InstanceFilter.Read(query, InstancesPerPage, withDetails: true);
        string? token = query.Text("continuationToken");
        InstanceContinuation? position = token is null ? null : InstanceContinuation.TryDecode(token);
        if (token is not null && position is null)
        {
            query.Fail("continuationToken", "The link to this page is not one the dashboard made; start again from the first page.");
        }

        if (query.Error(["status", "kind", "definition", "createdAfter", "createdBefore", "continuationToken"]) is { } error)
        {
            return Refused(request, error);
        }

        InstancePage? page = await OperationsService.ListInstancesAsync(client, filter, position, request.HttpContext.RequestAborted);
        if (page is null)
        {
            return Refused(request, new FieldError("continuationToken", "The link to this page is not one the dashboard made; start again from the first page."));
        }

        return Page<InstancesPage>(request, new()
        {
            [nameof(InstancesPage.Page)] = page,
            [nameof(InstancesPage.Status)] = filter.Statuses.Count == 1 ? filter.Statuses[0].ToString() : null,
            [nameof(InstancesPage.Kind)] = filter.Kind,
            [nameof(InstancesPage.Definition)] = filter.Definition,
            [nameof(InstancesPage.CreatedAfter)] = filter.CreatedAfter,
            [nameof(InstancesPage.CreatedBefore)] = filter.CreatedBefore,
            [nameof(InstancesPage.ContinuationToken)] = token,
        });
    }

    /// <summary>One instance: its status, steps and timeline, and the operator's buttons.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [QueryParameter("done", typeof(string), "The action just taken, to confirm it on the page.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardInstance))]
    public async Task<IResult> DashboardInstance([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/instances/{id}")] HttpRequest request, [DurableClient] DurableTaskClient client, string id)
    {
        QueryReader query = new(request.Query);
        string? done = query.OneOf("done", "suspend", "resume", "terminate", "redeliver", "redeliver-none");
        if (query.Error(["done"]) is { } error)
        {
            return Refused(request, error);
        }

        InstanceDetail? instance = await operations.GetInstanceAsync(client, id, request.HttpContext.RequestAborted);
        if (instance is null)
        {
            return PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "No such instance", $"There is no instance '{id}'.");
        }

        string? notice = done switch
        {
            "suspend" => "Suspend requested; the instance pauses at its next step.",
            "resume" => "Resume requested.",
            "terminate" => "Terminated; its pending approvals were closed.",
            "redeliver" => "Undelivered decisions raised again.",
            "redeliver-none" => "Nothing was raised: every recorded decision had already reached the instance.",
            _ => null,
        };
        return Page<InstanceDetailPage>(request, new()
        {
            [nameof(InstanceDetailPage.Instance)] = instance,
            [nameof(InstanceDetailPage.Timeline)] = InstanceTimeline.Build(instance),
            [nameof(InstanceDetailPage.Notice)] = notice,
        });
    }

    /// <summary>The confirmation step before a terminate: asks for the reason.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardConfirmTerminate))]
    public async Task<IResult> DashboardConfirmTerminate([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/instances/{id}/terminate")] HttpRequest request, [DurableClient] DurableTaskClient client, string id)
    {
        if (new QueryReader(request.Query).Error([]) is { } error)
        {
            return Refused(request, error);
        }

        return await client.GetInstanceAsync(id, request.HttpContext.RequestAborted) is { IsCompleted: false }
            ? Page<ConfirmTerminatePage>(request, new() { [nameof(ConfirmTerminatePage.InstanceId)] = id })
            : PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "Nothing to terminate", $"There is no running instance '{id}'.");
    }

    /// <summary>Suspend, resume, terminate (with a reason, confirmed) or raise undelivered decisions again; a form of the dashboard's.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [EndpointDescription("A dashboard form (application/x-www-form-urlencoded) with the antiforgery token; terminate also takes reason and confirmed=true.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardControlInstance))]
    public async Task<IResult> DashboardControlInstance([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/instances/{id}/{action}")] HttpRequest request, [DurableClient] DurableTaskClient client, string id, string action)
    {
        if (await this.ForgedAsync(request) is { } forged)
        {
            return forged;
        }

        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        IFormCollection form = await request.ReadFormAsync(cancellationToken);
        Caller caller = Caller.From(request.HttpContext.User)!;
        InstanceActionResult result;
        switch (action)
        {
            case "suspend" or "resume":
                result = await operations.ControlAsync(client, id, action == "suspend" ? InstanceAction.Suspend : InstanceAction.Resume, caller, "from the dashboard", cancellationToken);
                break;
            case "terminate":
                string reason = form["reason"].ToString().Trim();
                if (reason.Length == 0 || reason.Length > MaxReasonLength || form["confirmed"] != "true")
                {
                    return Page<ConfirmTerminatePage>(request, new()
                    {
                        [nameof(ConfirmTerminatePage.InstanceId)] = id,
                        [nameof(ConfirmTerminatePage.Reason)] = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason,
                        [nameof(ConfirmTerminatePage.Error)] = reason.Length == 0 ? "Say why: the reason is recorded with your address." : reason.Length > MaxReasonLength ? $"A reason has at most {MaxReasonLength} characters." : "Confirm with the button below.",
                    }, StatusCodes.Status400BadRequest);
                }

                result = await operations.ControlAsync(client, id, InstanceAction.Terminate, caller, TextSanitizer.Clean(reason), cancellationToken);
                if (result == InstanceActionResult.Accepted)
                {
                    LogTerminated(logger, id, caller.Name);
                }

                break;
            case "redeliver":
                int raised = await operations.RedeliverAsync(client, id, cancellationToken);
                return TypedResults.Redirect($"/api/dashboard/instances/{Uri.EscapeDataString(id)}?done={(raised > 0 ? "redeliver" : "redeliver-none")}");
            default:
                return PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Unknown action", $"'{action}' is not an action; use suspend, resume, terminate or redeliver.");
        }

        return result switch
        {
            InstanceActionResult.NotFound => PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "No such instance", $"There is no instance '{id}'."),
            InstanceActionResult.Finished => PageResults.Message(request.HttpContext, StatusCodes.Status409Conflict, "Already finished", $"Instance '{id}' has finished; nothing was changed."),
            _ => TypedResults.Redirect($"/api/dashboard/instances/{Uri.EscapeDataString(id)}?done={action}"),
        };
    }

    /// <summary>Every monitor with its last checks, incidents and decisions.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [QueryParameter("continuationToken", typeof(string), "The previous page's continuation token.")]
    [QueryParameter("done", typeof(string), "The command just sent, to confirm it on the page.")]
    [QueryParameter("monitor", typeof(string), "The monitor it was sent to.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardMonitors))]
    public async Task<IResult> DashboardMonitors([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/monitors")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        QueryReader query = new(request.Query);
        string? token = query.Text("continuationToken");
        InstanceContinuation? position = token is null ? null : InstanceContinuation.TryDecode(token);
        if (token is not null && position is null)
        {
            query.Fail("continuationToken", "The link to this page is not one the dashboard made; start again from the first page.");
        }

        string? done = query.OneOf("done", "pause", "resume", "stop");
        string? monitor = query.Text("monitor");
        if (query.Error(["continuationToken", "done", "monitor"]) is { } error)
        {
            return Refused(request, error);
        }

        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        InstancePage? page = await OperationsService.ListInstancesAsync(client, new InstanceFilter([], "monitor", null, null, null, MonitorsPerPage), position, cancellationToken);
        if (page is null)
        {
            return Refused(request, new FieldError("continuationToken", "The link to this page is not one the dashboard made; start again from the first page."));
        }

        List<InstanceDetail> monitors = [];
        foreach (InstanceSummary summary in page.Items)
        {
            if (await operations.GetInstanceAsync(client, summary.Id, cancellationToken) is { } detail)
            {
                monitors.Add(detail);
            }
        }

        return Page<MonitorsPage>(request, new()
        {
            [nameof(MonitorsPage.Monitors)] = monitors,
            [nameof(MonitorsPage.ContinuationToken)] = token,
            [nameof(MonitorsPage.Next)] = page.ContinuationToken,
            [nameof(MonitorsPage.Notice)] = done is null ? null : $"{char.ToUpperInvariant(done[0])}{done[1..]} sent to {monitor}; the monitor obeys it at its next step.",
        });
    }

    /// <summary>Pause, resume or stop a monitor: a form of the dashboard's.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [EndpointDescription("A dashboard form (application/x-www-form-urlencoded) with the antiforgery token.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardControlMonitor))]
    public async Task<IResult> DashboardControlMonitor([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/monitors/{id}/{command}")] HttpRequest request, [DurableClient] DurableTaskClient client, string id, string command)
    {
        if (await this.ForgedAsync(request) is { } forged)
        {
            return forged;
        }

        MonitorCommand? parsed = command switch { "pause" => MonitorCommand.Pause, "resume" => MonitorCommand.Resume, "stop" => MonitorCommand.Stop, _ => null };
        if (parsed is null)
        {
            return PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Unknown command", $"'{command}' is not a monitor command; use pause, resume or stop.");
        }

        return await MonitorsApi.SendAsync(client, id, parsed.Value, request.HttpContext.RequestAborted) switch
        {
            MonitorCommandResult.NotFound => PageResults.Message(request.HttpContext, StatusCodes.Status404NotFound, "No such monitor", $"There is no monitor '{id}'."),
            MonitorCommandResult.Stopped => PageResults.Message(request.HttpContext, StatusCodes.Status409Conflict, "Monitor stopped", $"Monitor '{id}' has stopped; nothing was sent."),
            _ => TypedResults.Redirect($"/api/dashboard/monitors?done={command}&monitor={Uri.EscapeDataString(id)}"),
        };
    }

    /// <summary>Time to decision per definition and per approver, and how approvals ended, over a period.</summary>
    [HtmlPage]
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Dashboard")]
    [QueryParameter("from", typeof(DateTimeOffset), "Start of the period (UTC); default 7 days before to.")]
    [QueryParameter("to", typeof(DateTimeOffset), "End of the period (UTC); default now.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [Function(nameof(DashboardSla))]
    public async Task<IResult> DashboardSla([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/sla")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        QueryReader query = new(request.Query);
        DateTimeOffset to = query.Time("to") ?? operations.Now;
        DateTimeOffset from = query.Time("from") ?? to.AddDays(-7);
        if (OperationsService.PeriodProblem(from, to) is { } period)
        {
            query.Fail("from", period);
        }

        if (query.Error(["from", "to"]) is { } error)
        {
            return Refused(request, error);
        }

        SlaView sla = await operations.GetSlaAsync(client, from, to, request.HttpContext.RequestAborted);
        return Page<SlaPage>(request, new() { [nameof(SlaPage.Sla)] = sla });
    }

    private static RazorComponentResult<TPage> Page<TPage>(HttpRequest request, Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TPage : IComponent
    {
        parameters["Person"] = Caller.From(request.HttpContext.User)!.Name;
        return PageResults.Page<TPage>(request.HttpContext, status, parameters);
    }

    private static RazorComponentResult<MessagePage> Refused(HttpRequest request, FieldError error) =>
        PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Not a valid filter", $"{error.Field}: {error.Message}");

    /// <summary>A refusal page when the form's antiforgery token is missing, forged or not this person's; nothing is changed then.</summary>
    private async Task<IResult?> ForgedAsync(HttpRequest request)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(request.HttpContext);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return PageResults.Message(request.HttpContext, StatusCodes.Status400BadRequest, "Form not accepted", "This form did not come from a dashboard page of this session (or it expired). Open the page again and repeat; nothing was changed.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} terminated from the dashboard by {Operator}")]
    private static partial void LogTerminated(ILogger logger, string instanceId, string @operator);
}
