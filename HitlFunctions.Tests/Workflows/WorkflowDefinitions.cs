namespace HitlFunctions.Tests.Workflows;

/// <summary>Inline workflow definitions for tests: an ai step followed by one approval step shaped by the test.</summary>
public static class WorkflowDefinitions
{
    /// <summary>draft (ai) → review (approval with the given fields) → nothing else.</summary>
    public static object DraftAndReview(string marker, Dictionary<string, object?> review) => new
    {
        name = "test-review",
        steps = new object[]
        {
            new { name = "draft", kind = "ai", prompt = $"Write about {marker}" },
            Merge(new Dictionary<string, object?> { ["name"] = "review", ["kind"] = "approval", ["source"] = "draft", ["title"] = $"Review {marker}", ["allowEdits"] = true }, review),
        },
    };

    public static Dictionary<string, object?> Merge(Dictionary<string, object?> baseFields, Dictionary<string, object?> extra)
    {
        foreach ((string key, object? value) in extra)
        {
            baseFields[key] = value;
        }

        return baseFields;
    }
}
