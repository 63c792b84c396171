using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using HitlFunctions.Tests.Infrastructure;

namespace HitlFunctions.Tests.Deployment;

/// <summary>
/// infra/main.bicep compiled to ARM JSON by the Bicep CLI that restore put in the NuGet cache (tools/Bicep, a project
/// reference of the tests), once per test run.
/// </summary>
public sealed class CompiledTemplate
{
    private static readonly Lazy<Task<CompiledTemplate>> Instance = new(BuildAsync);

    private CompiledTemplate(JsonObject main) => this.Main = main;

    public JsonObject Main { get; }

    /// <summary>The resource group's template: the one nested deployment of main.bicep.</summary>
    public JsonObject Resources =>
        this.Main["resources"]!.AsArray().Single(r => (string?)r!["type"] == "Microsoft.Resources/deployments")!["properties"]!["template"]!.AsObject();

    public static Task<CompiledTemplate> GetAsync() => Instance.Value;

    /// <summary>A resource of the resource group's template by its Bicep symbolic name.</summary>
    public JsonObject Resource(string symbolicName) =>
        this.Resources["resources"]![symbolicName]?.AsObject() ?? throw new KeyNotFoundException($"resources.bicep has no resource '{symbolicName}'.");

    /// <summary>The Function App's settings (the <c>appsettings</c> config resource), by name, with their value expressions.</summary>
    public IReadOnlyDictionary<string, ArmExpression.Node> AppSettings()
    {
        JsonObject settings = this.Resource("settings");
        Assert.Equal("Microsoft.Web/sites/config", (string?)settings["type"]);
        ArmExpression.Node properties = ArmExpression.Parse((string)settings["properties"]!);
        return ArmExpression.ObjectEntries(properties).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }

    private static async Task<CompiledTemplate> BuildAsync()
    {
        string bicep = typeof(CompiledTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        if (!File.Exists(bicep))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {bicep}: restore tools/Bicep (dotnet restore HitlFunctions.sln).", bicep);
        }

        ProcessStartInfo start = new(bicep) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "build", Path.Combine(Azurite.RepositoryRoot(), "infra", "main.bicep"), "--stdout" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource limit = new(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return process.ExitCode == 0
            ? new CompiledTemplate(JsonNode.Parse(await output)!.AsObject())
            : throw new InvalidOperationException($"bicep build failed ({process.ExitCode}): {await errors}");
    }
}
