using System.Reflection;
using HitlFunctions.Approvals;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Tests;

/// <summary>
/// The Functions app's own composition (Program.cs), built as the Functions worker builds it, on Azurite: every class
/// that declares a function can be made from its container, its options pass their start-up validation, and it keeps the
/// ledger and the outbox in storage.
/// </summary>
public sealed class FunctionsAppTests
{
    private static async Task<IHost> BuildAsync(params string[] settings)
    {
        string[] args =
        [
            $"--AzureWebJobsStorage={await Azurite.ConnectionStringAsync()}",
            $"--Links:SigningKeys:0:Id={TestKeys.CurrentId}",
            $"--Links:SigningKeys:0:Secret={TestKeys.CurrentSecret}",
            "--Links:PublicBaseUrl=https://approvals.example.test",
            // As the template deploys it: the people and programs are Easy Auth's.
            "--Identity:EasyAuth:Enabled=true",
            .. settings,
        ];
        return FunctionsApplication.CreateBuilder(args).ConfigureHitlFunctions().Build();
    }

    [Fact]
    public async Task Build_EveryFunctionClass_IsMadeFromTheContainer()
    {
        using IHost host = await BuildAsync();
        host.Services.GetRequiredService<IStartupValidator>().Validate();

        Type[] classes = [.. typeof(FunctionsApp).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => !m.IsStatic && m.GetCustomAttribute<FunctionAttribute>() is not null))];
        Assert.Contains(typeof(ApprovalsApi), classes);
        Assert.Contains(typeof(NotificationQueueFunctions), classes);
        using IServiceScope scope = host.Services.CreateScope();
        Assert.All(classes, type => Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type)));
    }

    [Fact]
    public async Task Build_TheLedgerAndTheOutbox_AreInStorage()
    {
        using IHost host = await BuildAsync("--Notifications:Queue=InMemory");

        Assert.IsType<TableApprovalLedger>(host.Services.GetRequiredService<IApprovalLedger>());
        Assert.Equal(NotificationQueueKind.AzureStorage, host.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.Queue);
        Assert.IsType<StorageNotificationQueue>(host.Services.GetRequiredService<INotificationQueue>());
    }

    [Fact]
    public void Build_WithoutStorage_FailsWithWhatToSet()
    {
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => FunctionsApplication.CreateBuilder([]).ConfigureHitlFunctions());

        Assert.Contains("AzureWebJobsStorage", refused.Message, StringComparison.Ordinal);
    }
}
