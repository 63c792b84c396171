using HitlFunctions.Tests.Workflows;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>Workflow definitions for the tests of the durable (Azure Storage) local host.</summary>
public static class DurableWorkflows
{
    /// <summary>draft (ai) → review by <paramref name="approver"/> → publish to <paramref name="webhookUrl"/> when given.</summary>
    public static object Review(string approver, string timeout = "00:10:00", object? escalation = null, string? webhookUrl = null)
    {
        string marker = Guid.NewGuid().ToString("N");
        List<object> steps =
        [
            new { name = "draft", kind = "ai", prompt = $"Write about {marker}" },
            WorkflowDefinitions.Merge(
                new Dictionary<string, object?> { ["name"] = "review", ["kind"] = "approval", ["source"] = "draft", ["title"] = $"Review {marker}" },
                new Dictionary<string, object?> { ["approvers"] = new[] { approver }, ["timeout"] = timeout, ["escalation"] = escalation, ["onTimeout"] = "reject" }),
        ];
        if (webhookUrl is not null)
        {
            steps.Add(new { name = "publish", kind = "action", source = "review", url = webhookUrl, maxAttempts = 3 });
        }

        return new { name = "durable-review", steps };
    }

    /// <summary>A start request for <see cref="Review"/> with an id of the test's choosing.</summary>
    public static object Start(string id, object definition) => new { definition, id };
}
