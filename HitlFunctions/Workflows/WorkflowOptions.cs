using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Workflows;

/// <summary>Where workflow definitions come from and the settings their templates may use. Section <c>Workflows</c>.</summary>
public sealed class WorkflowOptions
{
    public const string SectionName = "Workflows";

    /// <summary>The folder of definition files (*.json), relative to the app's folder. Default: Workflows.</summary>
    [Required]
    public string Folder { get; set; } = "Workflows";

    /// <summary>
    /// Values for <c>{{settings.key}}</c> templates, such as webhook URLs: <c>Workflows__Settings__contentWebhookUrl</c>.
    /// Stamped into each workflow's input when it starts. Default: none.
    /// </summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);
}
