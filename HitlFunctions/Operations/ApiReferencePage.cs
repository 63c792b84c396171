using System.Text;
using System.Text.Encodings.Web;
using HitlFunctions.Links;
using Microsoft.OpenApi;

namespace HitlFunctions.Operations;

/// <summary>
/// The API reference people read: the OpenAPI document rendered on the server as one HTML page (operations by tag,
/// their parameters, bodies and responses), with no script and nothing fetched from elsewhere.
/// </summary>
public static class ApiReferencePage
{
    public static string Render(OpenApiDocument document)
    {
        StringBuilder html = new();
        html.Append("<h1>").Append(E(document.Info.Title ?? "HitlFunctions")).Append(" API</h1>")
            .Append("<p class=\"meta\">").Append(E(document.Info.Description ?? string.Empty)).Append("</p>")
            .Append("<p class=\"note\">Machine-readable: <a href=\"openapi.json\">openapi.json</a> (OpenAPI 3.1).</p>");

        var operations = (document.Paths ?? [])
            .SelectMany(path => (path.Value.Operations ?? []).Select(operation => (Path: path.Key, Method: operation.Key, Operation: operation.Value)))
            .GroupBy(o => o.Operation.Tags?.FirstOrDefault()?.Name ?? "Other")
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var tag in operations)
        {
            html.Append("<h2>").Append(E(tag.Key)).Append("</h2>");
            foreach ((string path, HttpMethod method, OpenApiOperation operation) in tag)
            {
                html.Append("<h3><code>").Append(E(method.Method)).Append(' ').Append(E(path)).Append("</code></h3>");
                if (operation.Summary is { Length: > 0 } summary)
                {
                    html.Append("<p>").Append(E(summary)).Append("</p>");
                }

                if (operation.Description is { Length: > 0 } description)
                {
                    html.Append("<p class=\"note\">").Append(E(description)).Append("</p>");
                }

                html.Append("<dl>");
                if (operation.Parameters is { Count: > 0 } parameters)
                {
                    html.Append("<dt>Parameters</dt>");
                    foreach (IOpenApiParameter parameter in parameters)
                    {
                        html.Append("<dd><code>").Append(E(parameter.Name ?? string.Empty)).Append("</code> (").Append(E(parameter.In?.ToString().ToLowerInvariant() ?? string.Empty)).Append(") ")
                            .Append(E(parameter.Description ?? string.Empty)).Append("</dd>");
                    }
                }

                if (operation.RequestBody?.Content is { Count: > 0 } body)
                {
                    html.Append("<dt>Body</dt>");
                    foreach ((string mediaType, OpenApiMediaType content) in body)
                    {
                        html.Append("<dd><code>").Append(E(mediaType)).Append("</code> ").Append(E(SchemaName(content.Schema))).Append("</dd>");
                    }
                }

                html.Append("<dt>Responses</dt>");
                foreach ((string status, IOpenApiResponse response) in operation.Responses ?? [])
                {
                    html.Append("<dd><code>").Append(E(status)).Append("</code> ").Append(E(response.Description ?? string.Empty));
                    foreach ((string mediaType, OpenApiMediaType content) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
                    {
                        html.Append(" · <code>").Append(E(mediaType)).Append("</code> ").Append(E(SchemaName(content.Schema)));
                    }

                    html.Append("</dd>");
                }

                html.Append(operation.Security is { Count: > 0 } ? "<dt>Requires</dt><dd>a function key</dd>" : "<dt>Requires</dt><dd>nothing: anonymous</dd>");
                html.Append("</dl>");
            }
        }

        return LinkPages.Page($"{document.Info.Title} API", html.ToString());
    }

    private static string SchemaName(IOpenApiSchema? schema) => schema switch
    {
        null => string.Empty,
        OpenApiSchemaReference reference => reference.Reference.Id ?? string.Empty,
        { Type: JsonSchemaType.Array, Items: { } items } => $"array of {SchemaName(items)}",
        _ => schema.Type?.ToString().ToLowerInvariant() ?? "any",
    };

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
