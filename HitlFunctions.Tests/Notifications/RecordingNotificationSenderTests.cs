using HitlFunctions.Approvals;
using HitlFunctions.Notifications;
using Microsoft.Extensions.Logging.Abstractions;

namespace HitlFunctions.Tests.Notifications;

/// <summary>The in-memory view of sent notifications: every notification passes through it, so it must stay bounded.</summary>
public sealed class RecordingNotificationSenderTests
{
    private readonly RecordingNotificationSender sender = new(NullLogger<RecordingNotificationSender>.Instance);

    private static NotificationMessage Message(int i) =>
        new($"n{i}", NotificationKind.Request, ["ann@example.com"], $"a{i}", $"wf{i}", "Title", 1, DateTimeOffset.UnixEpoch, null);

    [Fact]
    public async Task KeepsTheLatestNotifications_OncePerId_AndForgetsTheOldest()
    {
        for (int i = 0; i < RecordingNotificationSender.MaxKept + 10; i++)
        {
            await this.sender.SendAsync(Message(i));
        }

        await this.sender.SendAsync(Message(RecordingNotificationSender.MaxKept + 9));

        Assert.Equal(RecordingNotificationSender.MaxKept, this.sender.Sent.Count);
        Assert.Equal("n10", this.sender.Sent[0].NotificationId);
        Assert.Equal($"n{RecordingNotificationSender.MaxKept + 9}", this.sender.Sent[^1].NotificationId);
    }
}
