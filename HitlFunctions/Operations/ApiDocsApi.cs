using System.Text;
using HitlFunctions.Pages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Operations;

/// <summary>The API's description, served by the app itself: the OpenAPI document and its rendered reference page.</summary>
public sealed class ApiDocsApi(OpenApiDocuments documents)
{
    /// <summary>The OpenAPI 3.1 document of every route.</summary>
    [AllowAnonymous]
    [Function(nameof(GetOpenApiDocument))]
    [Tags("Documentation")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "application/json")]
    public async Task<IResult> GetOpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        TypedResults.Text(await documents.GetJsonAsync(), "application/json", Encoding.UTF8);

    /// <summary>The API reference as a page.</summary>
    [AllowAnonymous]
    [Function(nameof(GetApiReference))]
    [Tags("Documentation")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    public async Task<IResult> GetApiReference([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request) =>
        PageResults.Page<ApiReferencePage>(request.HttpContext, StatusCodes.Status200OK, new Dictionary<string, object?> { [nameof(ApiReferencePage.Document)] = await documents.GetAsync() });
}
