using System.Reflection;
using System.Text.Json.Nodes;
using HitlFunctions.Ai;
using HitlFunctions.Links;
using HitlFunctions.Notifications;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Deployment;

/// <summary>
/// The deployment template (infra/, compiled by the Bicep CLI) against the code: every option the app binds, every
/// setting Program.cs and host.json need, secrets only as Key Vault references, storage only through the identity.
/// </summary>
public sealed class TemplateAppSettingsTests
{
    /// <summary>
    /// Options the template deliberately does not write, each with its reason. Anything else an options class binds
    /// must be an app setting in infra/resources.bicep.
    /// </summary>
    private static readonly Dictionary<string, string> NotInTemplate = new(StringComparer.Ordinal)
    {
        // A dictionary with free-form keys: the names are whatever {{settings.key}} the workflow definitions use, so
        // an operator adds Workflows__Settings__<key> for the definitions they deploy.
        ["Workflows__Settings"] = "free-form keys",

        // The template orders the keys instead: the last one listed signs (LinkOptions.SigningKeys).
        ["Links__SigningKeys__{0}__Created"] = "order decides",

        // The one proxy hop is the Functions host on loopback (KnownProxies); no network of proxies is trusted.
        ["ForwardedHeaders__KnownNetworks__{0}"] = "none trusted",

        // Per tenant: without an entry a token's app role of the same name (operator, integration, on-behalf) grants
        // the role; an operator adds Identity__Roles__operator__0=<app role or group id> to map others.
        ["Identity__Roles"] = "app roles of the same name",

        // Operators are people with the operator app role in Entra ID; addresses are for emailed-link sign-in.
        ["Identity__Operators__{0}"] = "app roles instead",

        // Sign-in by emailed link is off in Azure (Identity__SignIn__Enabled=false), so its lifetimes and limits do not apply.
        ["Identity__SignIn__LinkLifetime"] = "sign-in links off",
        ["Identity__SignIn__SessionLifetime"] = "sign-in links off",
        ["Identity__SignIn__MaxLinksPerAddress"] = "sign-in links off",
        ["Identity__SignIn__MaxRequestsPerClient"] = "sign-in links off",
        ["Identity__SignIn__RequestWindow"] = "sign-in links off",
    };

    /// <summary>Settings outside the options classes that the deployed app needs.</summary>
    public static TheoryData<string> HostSettings() => new(
        // Program.cs: the ledger, the outbox and the Functions host (and so Durable's Azure Storage provider) on one
        // account, through the managed identity.
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "Ledger__TableName",
        // host.json's Durable and queue settings, overridden so one file holds them all.
        "AzureFunctionsJobHost__extensions__durableTask__hubName",
        "AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval",
        "AzureFunctionsJobHost__extensions__queues__maxDequeueCount",
        // Easy Auth's headers are believed only where the platform sets them.
        "Identity__EasyAuth__Enabled",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING");

    [Fact]
    public async Task AppSettings_EveryBoundOption_IsInTheTemplate()
    {
        CompiledTemplate template = await CompiledTemplate.GetAsync();
        IReadOnlyDictionary<string, ArmExpression.Node> settings = template.AppSettings();

        List<string> bound = [.. OptionTypes().SelectMany(t => SettingNames((string)t.GetField("SectionName")!.GetValue(null)!, t))];
        Assert.Contains("Email__Smtp__Password", bound);
        Assert.Contains("Links__SigningKeys__{0}__Secret", bound);

        // A list entry written literally (Section__List__0) names its pattern (Section__List__{0}); a dictionary
        // (Section__Property) is named by any entry below it (Section__Property__key).
        HashSet<string> keys = [.. settings.Keys.Select(key => System.Text.RegularExpressions.Regex.Replace(key, @"__\d+(?=__|$)", "__{0}"))];
        string[] missing = [.. bound.Where(name => !keys.Contains(name) && !NotInTemplate.ContainsKey(name)
            && !keys.Any(key => key.StartsWith($"{name}__", StringComparison.Ordinal)))];
        Assert.True(missing.Length == 0, $"infra/resources.bicep sets no app setting for: {string.Join(", ", missing)}");
        Assert.All(NotInTemplate.Keys, name => Assert.Contains(name, bound));
    }

    [Fact]
    public async Task AppSettings_EverySettingATriggerNames_IsInTheTemplate()
    {
        CompiledTemplate template = await CompiledTemplate.GetAsync();
        string[] named = [.. JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray()
            .SelectMany(function => function!["bindings"]!.AsArray())
            .SelectMany(binding => binding!.AsObject().Select(property => property.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String ? property.Value.GetValue<string>() : null))
            .OfType<string>()
            .Where(value => value.Length > 2 && value.StartsWith('%') && value.EndsWith('%'))
            .Select(value => value[1..^1].Replace(":", "__", StringComparison.Ordinal))
            .Distinct()];

        Assert.Contains("Approvals__RedeliverySchedule", named);
        Assert.All(named, name => Assert.Contains(name, template.AppSettings().Keys));
    }

    [Theory]
    [MemberData(nameof(HostSettings))]
    public async Task AppSettings_HostSetting_IsInTheTemplate(string name)
    {
        CompiledTemplate template = await CompiledTemplate.GetAsync();

        Assert.Contains(name, template.AppSettings().Keys);
    }

    [Theory]
    [InlineData("AI__ApiKey")]
    [InlineData("Email__Smtp__Password")]
    [InlineData("Links__SigningKeys__{0}__Secret")]
    [InlineData("MICROSOFT_PROVIDER_AUTHENTICATION_SECRET")]
    public async Task AppSettings_Secret_IsAKeyVaultReference(string name)
    {
        CompiledTemplate template = await CompiledTemplate.GetAsync();

        ArmExpression.Node value = template.AppSettings()[name];
        Assert.Contains(value.StringLiterals(), literal => literal.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppSettings_SecureParameters_AreOnlyTestedForEmptiness()
    {
        CompiledTemplate template = await CompiledTemplate.GetAsync();
        string[] secure = [.. template.Resources["parameters"]!.AsObject().Where(p => (string?)p.Value!["type"] == "securestring").Select(p => p.Key)];
        Assert.NotEmpty(secure);

        // A secure parameter may decide whether a reference is written (empty(...)) but never be the value itself.
        foreach ((string name, ArmExpression.Node value) in template.AppSettings())
        {
            IEnumerable<string> used = OutsideEmpty(value).Where(n => n is { Kind: "call", Value: "parameters" }).Select(n => n.Children[0].Value);
            Assert.False(used.Intersect(secure).Any(), $"{name} carries a secure parameter's value.");
        }
    }

    [Fact]
    public async Task AppSettings_PublicBaseUrl_IsTheAppsHostName()
    {
        CompiledTemplate template = await CompiledTemplate.GetAsync();

        ArmExpression.Node value = template.AppSettings()["Links__PublicBaseUrl"];
        Assert.Contains(value.DescendantsAndSelf(), n => n is { Kind: "property", Value: "defaultHostName" });
        Assert.Contains(value.StringLiterals(), literal => literal.StartsWith("https://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_SharedKeys_AreDisabledAndTheIdentityHasEachDataRole()
    {
        CompiledTemplate template = await CompiledTemplate.GetAsync();

        Assert.False((bool)template.Resource("storage")["properties"]!["allowSharedKeyAccess"]!);
        JsonObject roles = template.Resources["variables"]!["roles"]!.AsObject();
        string[] storageRoles = [.. template.Resources["variables"]!["storageRoles"]!.AsArray().Select(r => (string)r!)];
        Assert.Equal("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", (string?)roles["storageBlobDataOwner"]);
        Assert.Equal("974c5e8b-45b9-4653-ba55-5f855dd0fb88", (string?)roles["storageQueueDataContributor"]);
        Assert.Equal("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", (string?)roles["storageTableDataContributor"]);
        Assert.All(["storageBlobDataOwner", "storageQueueDataContributor", "storageTableDataContributor"], role => Assert.Contains($"[variables('roles').{role}]", storageRoles));
        Assert.Equal("[length(variables('storageRoles'))]", (string?)template.Resource("appStorageAccess")["copy"]!["count"]);
    }

    /// <summary>Every class in the app with a <c>SectionName</c>: the options bound by AddHitlCore.</summary>
    private static Type[] OptionTypes()
    {
        Type[] types = [.. typeof(WorkflowOptions).Assembly.GetTypes().Where(t => t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })];
        Assert.Superset(new HashSet<Type> { typeof(WorkflowOptions), typeof(AiOptions), typeof(LinkOptions), typeof(NotificationOptions), typeof(EmailOptions) }, new HashSet<Type>(types));
        return types;
    }

    /// <summary>
    /// The configuration keys of a type's settable properties, as app settings: <c>Section__Property</c>, nested classes
    /// below it, a list's entries as <c>{0}</c>, a dictionary as its own name.
    /// </summary>
    private static IEnumerable<string> SettingNames(string prefix, Type type)
    {
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            string name = $"{prefix}__{property.Name}";
            Type propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(propertyType))
            {
                yield return name;
            }
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                yield return name;
            }
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(List<>))
            {
                Type entry = propertyType.GetGenericArguments()[0];
                IEnumerable<string> entries = IsLeaf(entry) ? [$"{name}__{{0}}"] : SettingNames($"{name}__{{0}}", entry);
                foreach (string setting in entries)
                {
                    yield return setting;
                }
            }
            else
            {
                foreach (string setting in SettingNames(name, propertyType))
                {
                    yield return setting;
                }
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
        || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid);

    private static IEnumerable<ArmExpression.Node> OutsideEmpty(ArmExpression.Node node) =>
        node is { Kind: "call", Value: "empty" } ? [] : node.Children.SelectMany(OutsideEmpty).Prepend(node);
}
