using HitlFunctions.Links;

namespace HitlFunctions.Tests.Links;

/// <summary>Where links point: the configured public address, else (Development) the address the host listens on.</summary>
public sealed class LinkBaseUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5123", "http://127.0.0.1:5123/api/links/t")]
    [InlineData("http://localhost:7080", "http://localhost:7080/api/links/t")]
    [InlineData("http://+:8080", "http://localhost:8080/api/links/t")]
    [InlineData("http://*:8080", "http://localhost:8080/api/links/t")]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080/api/links/t")]
    [InlineData("http://[::]:8080", "http://localhost:8080/api/links/t")]
    [InlineData(null, "http://localhost:7071/api/links/t")]
    public void LinkFor_WithoutAPublicAddress_UsesTheListeningAddress(string? listening, string expected)
    {
        LinkBaseUrl baseUrl = new(Microsoft.Extensions.Options.Options.Create(new LinkOptions()), () => LinkBaseUrl.FromServerAddress(listening));

        Assert.Equal(expected, baseUrl.LinkFor("t").ToString());
    }

    [Fact]
    public void LinkFor_WithAPublicAddress_IgnoresTheListeningAddress()
    {
        LinkBaseUrl baseUrl = new(Microsoft.Extensions.Options.Options.Create(new LinkOptions { PublicBaseUrl = new Uri("https://approvals.example.com/hitl") }), () => new Uri("http://127.0.0.1:5123"));

        Assert.Equal(("https://approvals.example.com/hitl/api/links/t", "https://approvals.example.com"), (baseUrl.LinkFor("t").ToString(), baseUrl.Origin));
    }
}
