using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.Identity;

/// <summary>
/// App Service Authentication's client-principal header. Here it is written by the test: outside Easy Auth that is
/// exactly what a hostile client can do, and behind it the platform writes it; both are sent with HttpClient.
/// </summary>
public sealed class EasyAuthTests
{
    private static string Principal(string email, params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = new[] { new { typ = "preferred_username", val = email }, new { typ = "name", val = email } }
            .Concat(roles.Select(r => new { typ = "roles", val = r })).ToArray(),
    })));

    private static async Task<(WebApplication App, HttpClient Http)> StartHostAsync(bool easyAuth)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--Links:SigningKeys:0:Id={TestKeys.CurrentId}",
            $"--Links:SigningKeys:0:Secret={TestKeys.CurrentSecret}",
            "--Links:PublicBaseUrl=https://approvals.example.test",
            $"--Identity:EasyAuth:Enabled={easyAuth}",
            .. TestKeys.BearerArguments,
        ];
        WebApplication app = LocalHostApp.Build(args);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address), Timeout = LocalHostFixture.StateTimeout });
    }

    [Fact]
    public async Task EasyAuthHeader_SettingOff_IsIgnored()
    {
        (WebApplication app, HttpClient http) = await StartHostAsync(easyAuth: false);
        await using (app)
        using (http)
        {
            using HttpRequestMessage request = new(HttpMethod.Get, "/api/ops/approvals");
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL", Principal("operator@example.com", "operator"));
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "operator@example.com");

            using HttpResponseMessage response = await http.SendAsync(request);

            await ProblemAssert.ReadAsync(response, HttpStatusCode.Unauthorized);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task EasyAuthHeader_SettingOn_IsTheCaller()
    {
        (WebApplication app, HttpClient http) = await StartHostAsync(easyAuth: true);
        await using (app)
        using (http)
        {
            using HttpRequestMessage asOperator = new(HttpMethod.Get, "/api/ops/approvals");
            asOperator.Headers.Add("X-MS-CLIENT-PRINCIPAL", Principal("ops@example.com", "operator"));
            using HttpRequestMessage asApprover = new(HttpMethod.Get, "/api/ops/approvals");
            asApprover.Headers.Add("X-MS-CLIENT-PRINCIPAL", Principal("ann@example.com"));
            using HttpRequestMessage ownList = new(HttpMethod.Get, "/api/approvals");
            ownList.Headers.Add("X-MS-CLIENT-PRINCIPAL", Principal("ann@example.com"));
            using HttpRequestMessage unreadable = new(HttpMethod.Get, "/api/approvals");
            unreadable.Headers.Add("X-MS-CLIENT-PRINCIPAL", "not base64 json");

            using HttpResponseMessage operatorResponse = await http.SendAsync(asOperator);
            using HttpResponseMessage approverResponse = await http.SendAsync(asApprover);
            using HttpResponseMessage ownResponse = await http.SendAsync(ownList);
            using HttpResponseMessage unreadableResponse = await http.SendAsync(unreadable);

            Assert.Equal(HttpStatusCode.OK, operatorResponse.StatusCode);
            await ProblemAssert.ReadAsync(approverResponse, HttpStatusCode.Forbidden);
            Assert.Equal(HttpStatusCode.OK, ownResponse.StatusCode);
            Assert.NotNull(await ownResponse.Content.ReadFromJsonAsync<ApprovalSummary[]>(HitlJson.Output));
            await ProblemAssert.ReadAsync(unreadableResponse, HttpStatusCode.Unauthorized);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Start_OutsideDevelopmentWithoutAuthentication_FailsWithAClearMessage()
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=None",
            $"--Links:SigningKeys:0:Id={TestKeys.CurrentId}",
            $"--Links:SigningKeys:0:Secret={TestKeys.CurrentSecret}",
            "--Links:PublicBaseUrl=https://approvals.example.test",
        ];
        await using WebApplication app = LocalHostApp.Build(args);

        Microsoft.Extensions.Options.OptionsValidationException failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("No authentication is configured", failure.Message, StringComparison.Ordinal);
    }
}
