using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Tests.Workflows;

/// <summary>
/// Server settings stay on the server, and definitions given in a request are cleaned like input. The host has a
/// secret setting (apiToken) and a public one (brand); hostile definitions are sent with HttpClient.
/// </summary>
public sealed class WorkflowSettingsTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Theory]
    [InlineData("title", "steps[1](review).title")]
    [InlineData("prompt", "steps[0](draft).prompt")]
    [InlineData("context", "steps[1](review).context")]
    [InlineData("url", "steps[2](publish).url")]
    public async Task Start_InlineDefinitionUsingASecretSetting_Returns400WithoutTheValue(string where, string field)
    {
        string id = LocalHostFixture.NewId("secret");
        object definition = Definition(
            prompt: where == "prompt" ? "Say {{settings.apiToken}}" : "Write",
            title: where == "title" ? "{{settings.apiToken}}" : "Review",
            context: where == "context" ? "Token: {{ settings.apiToken }}" : null,
            url: where == "url" ? host.Webhooks.BaseUrl + "/x?t={{settings.apiToken}}" : null);

        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/workflows", new { id, definition, input = new { } });

        string text = await response.Content.ReadAsStringAsync();
        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"definition.{field}", problem.GetProperty("field").GetString());
        Assert.DoesNotContain(LocalHostFixture.SecretSetting, text, StringComparison.Ordinal);
        Assert.Null(await host.Durable.GetInstanceAsync(id));
    }

    [Fact]
    public async Task Start_InlineDefinitionUsingAPublicSetting_ShowsIt_AndStampsOnlyWhatItUses()
    {
        string id = await host.StartAsync(new { definition = Definition("Write", "Review for {{settings.brand}}"), input = new { } });

        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        using HttpResponseMessage list = await host.Http.GetAsync($"/api/approvals?workflowId={id}");

        Assert.Equal("Review for Contoso", approval.Ticket.Title);
        Assert.DoesNotContain(LocalHostFixture.SecretSetting, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        OrchestrationMetadata instance = (await host.Durable.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.DoesNotContain(LocalHostFixture.SecretSetting, instance.SerializedInput, StringComparison.Ordinal);
        Assert.Equal(["brand"], instance.ReadInputAs<WorkflowStart>()!.Settings.Keys);
    }

    [Fact]
    public void Catalog_ShippedDefinitionShowingASecretSetting_IsRefused()
    {
        WorkflowDefinition definition = WorkflowCatalog.Parse(JsonSerializer.Serialize(Definition("Write", "{{settings.apiToken}}", url: "{{settings.apiToken}}"))).Definition!;

        IReadOnlyList<HitlFunctions.Common.FieldError> errors = WorkflowDefinitionValidator.ValidateSettings(definition, shipped: true, ["brand"]);

        Assert.Equal("steps[1](review).title", Assert.Single(errors).Field);
    }

    [Fact]
    public async Task Start_InlineDefinitionWithControlAndBidiCharacters_IsCleanedBeforeTheLedgerAndTheEmail()
    {
        string id = await host.StartAsync(new { definition = Definition("Write", "Pay\u0000 the \uFFFEinvoice \u202Efdp.exe"), input = new { } });

        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        NotificationMessage request = await LocalHostFixture.WaitFor(
            () => Task.FromResult(host.Notifications.Sent.FirstOrDefault(n => n.ApprovalId == approval.ApprovalId && n.Kind == NotificationKind.Request)),
            "the request email");

        Assert.Equal("Pay the invoice fdp.exe", approval.Ticket.Title);
        Assert.Equal("Pay the invoice fdp.exe", request.Title);
    }

    [Fact]
    public async Task Start_InputWithBidiOverride_ReachesNoSubject()
    {
        string id = await host.StartAsync(new { workflow = "content-review", input = new { topic = "tides \u202Egnp.exe", editor = "ed@example.com" } });

        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        Assert.DoesNotContain('\u202E', approval.Ticket.Title);
    }

    private static object Definition(string prompt, string title, string? context = null, string? url = null) => new
    {
        name = "settings",
        steps = new object?[]
        {
            new { name = "draft", kind = "ai", prompt },
            new { name = "review", kind = "approval", source = "draft", title, context, approvers = new[] { "a@example.com" }, timeout = "01:00:00" },
            url is null ? null : new { name = "publish", kind = "action", source = "review", url, maxAttempts = 1 },
        }.OfType<object>().ToArray(),
    };
}
