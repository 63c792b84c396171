namespace HitlFunctions.Tests.Infrastructure;

/// <summary>The local host with small flood limits, so a test can reach each one with a short definition.</summary>
public sealed class FloodLimitHostFixture : LocalHostFixture
{
    public const int MaxApproversPerLevel = 3;
    public const int MaxLevels = 2;
    public const int MaxNotificationsPerWorkflow = 10;
    public const int MaxPerRecipient = 2;

    protected override IEnumerable<string> LimitArguments() =>
    [
        "--Limits:MinReminderInterval=00:00:01",
        "--Limits:MinLevelTimeout=00:00:01",
        $"--Limits:MaxApproversPerLevel={MaxApproversPerLevel}",
        $"--Limits:MaxLevels={MaxLevels}",
        $"--Limits:MaxNotificationsPerWorkflow={MaxNotificationsPerWorkflow}",
        $"--Notifications:MaxPerRecipient={MaxPerRecipient}",
        "--Notifications:RecipientWindow=01:00:00",
    ];
}
