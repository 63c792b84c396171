using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HitlFunctions.Pages;

/// <summary>
/// Pages as results of a function: a Razor component rendered on the server (static rendering, no circuit, no
/// WebAssembly), with the headers every page carries. The same in both hosts: the Functions app's ASP.NET Core
/// integration and the local host execute the <see cref="IResult"/> alike.
/// </summary>
public static class PageResults
{
    /// <summary>
    /// The app's own files, forms to itself, no frames. No inline script or style: components render none, and the
    /// stylesheet and script come from <see cref="PageAssets"/>.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Renders <typeparamref name="TComponent"/> with <paramref name="parameters"/> as the response, with the page headers.</summary>
    public static RazorComponentResult<TComponent> Page<TComponent>(HttpContext context, int status, object? parameters = null)
        where TComponent : IComponent
    {
        SetPageHeaders(context.Response);
        return new RazorComponentResult<TComponent>(parameters ?? new Dictionary<string, object?>()) { StatusCode = status };
    }

    /// <summary>A <see cref="MessagePage"/>: a heading and a sentence.</summary>
    public static RazorComponentResult<MessagePage> Message(HttpContext context, int status, string heading, string detail) =>
        Page<MessagePage>(context, status, new Dictionary<string, object?> { [nameof(MessagePage.Heading)] = heading, [nameof(MessagePage.Detail)] = detail });

    /// <summary>
    /// 303 See Other to a page of this app: after a form's POST the browser opens it with a GET, so a reload does not
    /// send the form again.
    /// </summary>
    public static IResult SeeOther(string localUrl) => new SeeOtherResult(localUrl);

    /// <summary>
    /// The headers of every page: never cached (they show live approvals, and link pages carry a token in their URL),
    /// a Referer only to the app itself (so the token never leaves, and our forms' POSTs carry our Origin), no
    /// sniffing, no framing, no indexing.
    /// </summary>
    public static void SetPageHeaders(HttpResponse response)
    {
        // What antiforgery sets on the pages whose forms carry its token (it warns when it has to change another value).
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers["X-Robots-Tag"] = "noindex";
    }

    private sealed class SeeOtherResult(string url) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }
}
