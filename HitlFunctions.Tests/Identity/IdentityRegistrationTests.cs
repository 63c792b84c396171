using HitlFunctions.Identity;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Tests.Identity;

/// <summary>The registrations on a generic host, as the Functions worker has it (no WebApplication).</summary>
public sealed class IdentityRegistrationTests
{
    private static ServiceProvider Services(string environment, params string[] arguments)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, Args = arguments });
        builder.Services.AddHitlIdentity();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void Bearer_OnAGenericHost_TakesIssuerAudienceAndKeyFromConfiguration()
    {
        using ServiceProvider services = Services("Production", TestKeys.BearerArguments);

        JwtBearerOptions bearer = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(HitlSchemes.Bearer);

        string?[] issuers = [bearer.TokenValidationParameters.ValidIssuer, .. bearer.TokenValidationParameters.ValidIssuers ?? []];
        string?[] audiences = [bearer.TokenValidationParameters.ValidAudience, .. bearer.TokenValidationParameters.ValidAudiences ?? []];
        Assert.Equal([TestKeys.JwtIssuer], issuers.OfType<string>());
        Assert.Equal([TestKeys.JwtAudience], audiences.OfType<string>());
        Assert.Single(bearer.TokenValidationParameters.IssuerSigningKeys);
        Assert.True(bearer.TokenValidationParameters.ValidateIssuer && bearer.TokenValidationParameters.ValidateAudience && bearer.TokenValidationParameters.ValidateLifetime);
        Assert.False(bearer.MapInboundClaims);
    }

    [Theory]
    [InlineData("--Authentication:Schemes:Bearer:Authority=https://login.microsoftonline.com/tenant/v2.0", "needs ValidIssuer")]
    [InlineData("--Identity:Roles:admin:0=Admins", "is not a role")]
    [InlineData("--Identity:SignIn:LinkLifetime=2.00:00:00", "LinkLifetime")]
    public void Options_OutsideDevelopment_RefuseWeakSettings(string argument, string message)
    {
        using ServiceProvider services = Services("Production", [argument, "--Identity:EasyAuth:Enabled=true"]);

        OptionsValidationException failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<IdentityOptions>>().Value);

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_EasyAuthAlone_IsEnoughOutsideDevelopment()
    {
        using ServiceProvider services = Services("Production", "--Identity:EasyAuth:Enabled=true");

        Assert.True(services.GetRequiredService<IOptions<IdentityOptions>>().Value.EasyAuth.Enabled);
    }
}
