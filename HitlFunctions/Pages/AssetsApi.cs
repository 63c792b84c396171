using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Pages;

/// <summary>Serves the pages' stylesheet and script, in both hosts, from the app itself.</summary>
public sealed class AssetsApi
{
    /// <summary>The pages' stylesheet or script.</summary>
    // Anonymous: the emailed-link and sign-in pages need them before anyone is signed in, and they hold no data.
    [AllowAnonymous]
    [Tags("Pages")]
    [EndpointDescription("The stylesheet (site.css) and script (site.js) of the app's pages. With the `v` the pages link (a hash of the content) they may be cached for good.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/css")]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    [Function(nameof(GetPageAsset))]
    public IResult GetPageAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageAssets.Route + "/{name}")] HttpRequest request, string name)
    {
        if (PageAssets.Find(name) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        request.HttpContext.Response.Headers.CacheControl = request.Query["v"] == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{asset.Version}\""));
    }
}
