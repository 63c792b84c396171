using HitlFunctions.Common;
using Microsoft.DurableTask;

namespace HitlFunctions.Tests.Common;

/// <summary>Rules the app keeps in one place: email addresses, percentiles, the action retry policy.</summary>
public sealed class SharedRulesTests
{
    [Theory]
    [InlineData("ann@example.com", true)]
    [InlineData("ann.lee+ops@mail.example.co.uk", true)]
    [InlineData("ann@example", false)]
    [InlineData("ann example@example.com", false)]
    [InlineData("@example.com", false)]
    [InlineData(null, false)]
    public void EmailAddress_IsValid_AcceptsAddressesOnly(string? address, bool valid) => Assert.Equal(valid, EmailAddress.IsValid(address));

    [Fact]
    public void Percentiles_NearestRank_PicksTheRankedSample()
    {
        int[] sorted = [.. Enumerable.Range(1, 20)];

        Assert.Equal((10, 19, 20, 1), (Percentiles.NearestRank(sorted, 0.50), Percentiles.NearestRank(sorted, 0.95), Percentiles.NearestRank(sorted, 1), Percentiles.NearestRank(sorted, 0)));
    }

    [Fact]
    public void RetryPolicies_Action_DefaultsToThreeAttempts_AndHonoursTheStep()
    {
        Assert.Equal(RetryPolicies.DefaultActionAttempts, ((TaskRetryOptions)RetryPolicies.Action(null).Retry!).Policy!.MaxNumberOfAttempts);
        Assert.Equal(7, ((TaskRetryOptions)RetryPolicies.Action(7).Retry!).Policy!.MaxNumberOfAttempts);
    }
}
