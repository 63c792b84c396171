using System.Reflection;
using HitlFunctions.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Operations;

/// <summary>
/// The HTTP functions of this app and the endpoint metadata their handler methods declare (<c>[ProducesResponseType]</c>,
/// <c>[Consumes]</c>, <c>[Tags]</c>, <c>[Authorize]</c>, <see cref="ProblemResponsesAttribute"/>): what the local
/// host attaches to its endpoints and what the OpenAPI document is generated from.
/// </summary>
public static class HttpFunctionMetadata
{
    /// <summary>The route prefix of the Functions host's HTTP functions (host.json's default).</summary>
    public const string RoutePrefix = "api";

    /// <summary>Every HTTP function in this assembly, in declaration order.</summary>
    public static IReadOnlyList<HttpFunctionRoute> Routes { get; } = [.. typeof(HttpFunctionMetadata).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
        .Where(f => f.Function is not null && f.Trigger is not null)
        .Select(f => new HttpFunctionRoute(
            f.Function!.Name,
            f.Trigger!.Route ?? f.Function.Name,
            [.. (f.Trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())],
            f.Method,
            f.Trigger.AuthLevel))];

    /// <summary>The endpoint metadata <paramref name="function"/>'s handler declares, with its authorization.</summary>
    public static IReadOnlyList<object> For(HttpFunctionRoute function)
    {
        bool authorized = function.Method.GetCustomAttributes().OfType<IAuthorizeData>().Any();
        List<object> metadata = [new FunctionKeyLevel(function.AuthLevel)];
        foreach (Attribute attribute in function.Method.GetCustomAttributes())
        {
            switch (attribute)
            {
                case ProblemResponsesAttribute problems:
                    metadata.AddRange(problems.Metadata());
                    break;
                case IApiResponseMetadataProvider response:
                    // MVC's [ProducesResponseType] describes itself to MVC's explorer only; endpoints read this form.
                    MediaTypeCollection contentTypes = [];
                    response.SetContentTypes(contentTypes);
                    metadata.Add(new ProducesResponseTypeMetadata(response.StatusCode, response.Type, contentTypes.Count > 0 ? [.. contentTypes] : ["application/json"]));
                    break;
                case IProducesResponseTypeMetadata or IAcceptsMetadata or ITagsMetadata or IEndpointSummaryMetadata or IEndpointDescriptionMetadata
                    or IAuthorizeData or IAllowAnonymous or QueryParameterAttribute:
                    metadata.Add(attribute);
                    break;
            }
        }

        // What every function may answer: refusals of a caller who is not signed in or not allowed, of a JSON body that
        // is not one, and ExceptionProblems' mapping of failures.
        List<int> common = authorized ? [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden] : [];
        if (metadata.OfType<IAcceptsMetadata>().Any(a => a.ContentTypes.Contains("application/json")))
        {
            common.AddRange([StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        }

        common.AddRange([StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable]);
        metadata.AddRange(new ProblemResponsesAttribute([.. common.Where(status => !metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status))]).Metadata());
        return metadata;
    }
}
