using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// Another site, for cross-site tests: a loopback Kestrel on its own port (at <c>localhost</c>, where the product is at
/// 127.0.0.1, so the browser sees another site) serving one page whose form posts itself to a link route on load.
/// </summary>
public sealed class HostilePage : IAsyncDisposable
{
    private readonly WebApplication app;

    private HostilePage(WebApplication app, string url)
    {
        this.app = app;
        this.Url = url;
    }

    /// <summary>The address of the page.</summary>
    public string Url { get; }

    /// <summary>Serves a page that, once opened, posts <paramref name="fields"/> to <paramref name="target"/>.</summary>
    public static async Task<HostilePage> StartAsync(Uri target, IReadOnlyDictionary<string, string> fields)
    {
        int port = Azurite.FreePort();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.ListenLocalhost(port));
        WebApplication app = builder.Build();
        string inputs = string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(f.Key)}\" value=\"{HtmlEncoder.Default.Encode(f.Value)}\">"));
        string html = "<!DOCTYPE html><html lang=\"en\"><head><title>You won a prize</title></head><body onload=\"document.forms[0].submit()\">" +
            $"<form method=\"post\" action=\"{HtmlEncoder.Default.Encode(target.ToString())}\">{inputs}</form></body></html>";
        app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();
        return new HostilePage(app, $"http://localhost:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
    }
}
