using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Operations;
using HitlFunctions.Pages;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace HitlFunctions.Tests.Operations;

/// <summary>The OpenAPI document the app serves at /api/openapi.json, read back with Microsoft.OpenApi, against functions.metadata.</summary>
public sealed class OpenApiDocumentTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    /// <summary>The HTTP triggers the Functions SDK generated: name, route, methods, authorization level.</summary>
    public static TheoryData<string, string, string, string> HttpTriggers()
    {
        TheoryData<string, string, string, string> data = [];
        foreach (JsonElement function in JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"))).RootElement.EnumerateArray())
        {
            foreach (JsonElement binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (string.Equals(binding.GetProperty("type").GetString(), "httpTrigger", StringComparison.OrdinalIgnoreCase))
                {
                    string methods = string.Join(",", binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
                    data.Add(function.GetProperty("name").GetString()!, binding.GetProperty("route").GetString()!, methods, binding.GetProperty("authLevel").GetString()!);
                }
            }
        }

        return data;
    }

    [Fact]
    public async Task OpenApiJson_Served_IsValidOpenApi31()
    {
        (OpenApiDocument document, OpenApiDiagnostic diagnostic, string json) = await this.ReadAsync();

        Assert.Empty(diagnostic.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.StartsWith("3.1", JsonDocument.Parse(json).RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.Equal(["bearer", "easyAuth", "functionKeyHeader", "functionKeyQuery", "session"], document.Components!.SecuritySchemes!.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(HttpTriggers))]
    public async Task OpenApiJson_EveryHttpTrigger_IsAnOperationWithItsMethodsAndSecurity(string name, string route, string methods, string authLevel)
    {
        (OpenApiDocument document, _, _) = await this.ReadAsync();

        Assert.True(document.Paths.TryGetValue($"/api/{route}", out IOpenApiPathItem? path), $"/api/{route} is not in the document");
        foreach (string method in methods.Split(','))
        {
            Assert.True(path!.Operations!.TryGetValue(new HttpMethod(method.ToUpperInvariant()), out OpenApiOperation? operation), $"{method} /api/{route} is not in the document");
            Assert.Equal(name, operation!.OperationId);
            Assert.NotEmpty(operation.Tags ?? new HashSet<OpenApiTagReference>());
            // A success, or for a form that signs in, the redirect to the page it opens.
            Assert.Contains(operation.Responses!, r => r.Key[0] is '2' or '3');
            bool authorized = HttpFunctionMetadata.Routes.Single(r => r.Name == name).Method.GetCustomAttributes<AuthorizeAttribute>().Any();
            Assert.Equal(authorized, operation.Security is { Count: > 0 });
            Assert.All(operation.Security ?? [], requirement => Assert.Equal(authLevel != "Anonymous", requirement.Keys.Any(k => k.Reference.Id is "functionKeyHeader" or "functionKeyQuery")));
        }
    }

    [Fact]
    public async Task OpenApiJson_SubmitDecision_HasItsBodyReceiptAndProblems()
    {
        (OpenApiDocument document, _, _) = await this.ReadAsync();

        OpenApiOperation decide = document.Paths["/api/approvals/{approvalId}/decision"].Operations![HttpMethod.Post];
        Assert.Equal("DecisionRequest", SchemaId(decide.RequestBody!.Content!["application/json"].Schema));
        Assert.Equal("DecisionReceipt", SchemaId(decide.Responses!["200"].Content!["application/json"].Schema));
        foreach (string status in new[] { "400", "403", "404", "409", "410", "413", "415", "500", "503" })
        {
            Assert.Equal("ProblemDetails", SchemaId(decide.Responses[status].Content!["application/problem+json"].Schema));
        }

        IOpenApiParameter approvalId = Assert.Single(decide.Parameters!);
        Assert.Equal(("approvalId", ParameterLocation.Path), (approvalId.Name, approvalId.In));
        Assert.True(document.Components!.Schemas!.ContainsKey("DecisionRequest"));
    }

    [Fact]
    public async Task OpenApiJson_ListApprovals_DocumentsTheQueryItReads()
    {
        (OpenApiDocument document, _, _) = await this.ReadAsync();

        OpenApiOperation list = document.Paths["/api/approvals"].Operations![HttpMethod.Get];
        Assert.Equal(["approver", "workflowId", "overdue"], list.Parameters!.Where(p => p.In == ParameterLocation.Query).Select(p => p.Name));
        Assert.Equal(JsonSchemaType.Array, list.Responses!["200"].Content!["application/json"].Schema!.Type);
    }

    [Fact]
    public async Task Docs_Served_ListsEveryOperationOnOnePageWithNoScriptButTheAppsOwn()
    {
        (OpenApiDocument document, _, _) = await this.ReadAsync();
        using HttpResponseMessage response = await host.Http.GetAsync("/api/docs");
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.All(Regex.Matches(html, "<script[^>]*>"), script => Assert.Contains($"src=\"{PageAssets.ScriptUrl}\"", script.Value, StringComparison.Ordinal));
        foreach ((string path, IOpenApiPathItem item) in document.Paths)
        {
            foreach (HttpMethod method in item.Operations!.Keys)
            {
                Assert.Contains($"<code>{method.Method} {System.Text.Encodings.Web.HtmlEncoder.Default.Encode(path)}</code>", html, StringComparison.Ordinal);
            }
        }
    }

    private async Task<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic, string Json)> ReadAsync()
    {
        using HttpResponseMessage response = await host.Http.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        string json = await response.Content.ReadAsStringAsync();
        ReadResult result = OpenApiDocument.Parse(json, "json");
        return (result.Document!, result.Diagnostic!, json);
    }

    private static string? SchemaId(IOpenApiSchema? schema) => (schema as OpenApiSchemaReference)?.Reference.Id;
}
