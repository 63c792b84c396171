using Azure.Data.Tables;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HitlFunctions.Tests.Identity;

/// <summary>
/// The Functions app keeps its Data Protection key ring in its storage: what one instance protects (the session
/// cookie, antiforgery tokens) another instance, or the same after a restart, can read. Two apps built from
/// Program.cs's composition on one Azurite account stand for two instances.
/// </summary>
public sealed class DataProtectionKeysTests
{
    private static async Task<IHost> BuildAsync(string ledgerTable)
    {
        string[] args =
        [
            $"--AzureWebJobsStorage={await Azurite.ConnectionStringAsync()}",
            $"--Ledger:TableName={ledgerTable}",
            $"--Links:SigningKeys:0:Id={TestKeys.CurrentId}",
            $"--Links:SigningKeys:0:Secret={TestKeys.CurrentSecret}",
            "--Links:PublicBaseUrl=https://approvals.example.test",
            "--Identity:EasyAuth:Enabled=true",
        ];
        return FunctionsApplication.CreateBuilder(args).ConfigureHitlFunctions().Build();
    }

    [Fact]
    public async Task FunctionsApp_KeyRing_IsSharedByInstancesThroughStorage()
    {
        string ledgerTable = $"Ledger{Guid.NewGuid():N}"[..20];
        using IHost first = await BuildAsync(ledgerTable);
        string protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Protect("ann@example.com");

        using IHost second = await BuildAsync(ledgerTable);
        Assert.Equal("ann@example.com", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Unprotect(protectedText));

        TableClient keys = new(await Azurite.ConnectionStringAsync(), $"{ledgerTable}Keys");
        Assert.Single(keys.Query<TableEntity>());
        await keys.DeleteAsync();
    }
}
