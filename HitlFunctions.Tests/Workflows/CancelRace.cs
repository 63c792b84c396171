using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Common;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Workflows;

/// <summary>
/// A decision POST and a cancel POST released together, over HTTP, and what must hold afterwards whichever wins: the
/// answers, the ledger's approval, the workflow's outcome and its decisions tell the same story.
/// </summary>
public static class CancelRace
{
    public const string Approver = "racer@example.com";

    /// <summary>draft (ai) → review by <see cref="Approver"/>.</summary>
    public static object Start(string id) => new
    {
        id,
        input = new { },
        definition = new
        {
            name = "cancel-race",
            steps = new object[]
            {
                new { name = "draft", kind = "ai", prompt = "Write" },
                new { name = "review", kind = "approval", source = "draft", title = "Race", approvers = new[] { Approver }, timeout = "00:10:00" },
            },
        },
    };

    /// <summary>Runs one trial on a pending approval and returns which side won: "decision" or "cancel".</summary>
    public static async Task<string> TrialAsync(HttpClient http, string workflowId, string approvalId, Func<Task<WorkflowView>> finished)
    {
        TaskCompletionSource go = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HttpResponseMessage> decide = Task.Run(async () =>
        {
            await go.Task;
            return await http.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve", approver = Approver });
        });
        Task<HttpResponseMessage> cancel = Task.Run(async () =>
        {
            await go.Task;
            return await http.PostAsJsonAsync($"/api/workflows/{workflowId}/cancel", new { reason = "race" });
        });
        go.SetResult();
        using HttpResponseMessage decided = await decide;
        using HttpResponseMessage cancelled = await cancel;

        WorkflowView view = await finished();
        JsonElement approval = await http.GetFromJsonAsync<JsonElement>($"/api/approvals/{approvalId}", HitlJson.Output);
        string? state = approval.GetProperty("summary").GetProperty("state").GetString();
        string story = $"decision {(int)decided.StatusCode}, cancel {(int)cancelled.StatusCode}, ledger {state}, workflow {view.Outcome} with {view.Decisions.Count} decision(s)";
        if (decided.StatusCode == HttpStatusCode.OK)
        {
            Assert.True(
                cancelled.StatusCode == HttpStatusCode.Conflict && state == "Decided" && view.Outcome == WorkflowOutcome.Completed && view.Decisions.Count == 1,
                $"An acknowledged decision was not honoured: {story}");
            return "decision";
        }

        Assert.True(
            decided.StatusCode == HttpStatusCode.Gone && cancelled.StatusCode == HttpStatusCode.Accepted && state == "Cancelled" && view.Outcome == WorkflowOutcome.Cancelled && view.Decisions.Count == 0,
            $"A cancel that won does not agree everywhere: {story}");
        return "cancel";
    }
}
