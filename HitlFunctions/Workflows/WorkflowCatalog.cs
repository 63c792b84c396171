using System.Text.Json;
using HitlFunctions.Common;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Workflows;

/// <summary>The workflow definitions of the app's Workflows folder, loaded and validated once at start.</summary>
public sealed class WorkflowCatalog
{
    private readonly Dictionary<string, WorkflowDefinition> definitions;

    public WorkflowCatalog(IOptions<WorkflowOptions> options)
    {
        string folder = Path.IsPathRooted(options.Value.Folder) ? options.Value.Folder : Path.Combine(AppContext.BaseDirectory, options.Value.Folder);
        this.definitions = new(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            (WorkflowDefinition? definition, IReadOnlyList<FieldError> errors) = Parse(File.ReadAllText(file));
            if (definition is not null && errors.Count == 0)
            {
                errors = WorkflowDefinitionValidator.ValidateSettings(definition, shipped: true, options.Value.PublicSettings);
            }

            if (definition is null || errors.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Workflow definition {Path.GetFileName(file)} is invalid: {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"))}");
            }

            if (!this.definitions.TryAdd(definition.Name, definition))
            {
                throw new InvalidOperationException($"Two workflow definitions in {folder} are named '{definition.Name}'.");
            }
        }
    }

    public IReadOnlyCollection<WorkflowDefinition> All => this.definitions.Values;

    public WorkflowDefinition? Find(string name) => this.definitions.GetValueOrDefault(name);

    /// <summary>Reads and validates a definition from JSON text.</summary>
    public static (WorkflowDefinition? Definition, IReadOnlyList<FieldError> Errors) Parse(string json)
    {
        try
        {
            WorkflowDefinition? definition = JsonSerializer.Deserialize<WorkflowDefinition>(json, HitlJson.Strict);
            return definition is null
                ? (null, [new FieldError("definition", "The definition is empty.")])
                : (definition, WorkflowDefinitionValidator.Validate(definition));
        }
        catch (JsonException exception)
        {
            return (null, [new FieldError(HitlJson.FieldOf(exception) ?? "definition", exception.Message)]);
        }
    }
}
