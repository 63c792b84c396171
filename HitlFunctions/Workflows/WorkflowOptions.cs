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

    /// <summary>
    /// The keys of <see cref="Settings"/> that may be shown to people and models, and used by definitions given in a
    /// request: <c>Workflows__PublicSettings__0</c>. Any other setting is used only in the url of a shipped definition.
    /// Default: none.
    /// </summary>
    public List<string> PublicSettings { get; set; } = [];
}
