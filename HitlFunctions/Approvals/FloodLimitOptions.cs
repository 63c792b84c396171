using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Approvals;

/// <summary>
/// Bounds on how many emails one request can cause, checked when a workflow or monitor starts. Section <c>Limits</c>.
/// </summary>
public sealed class FloodLimitOptions
{
    public const string SectionName = "Limits";

    /// <summary>The shortest time between reminders. Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinReminderInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The shortest time a level is given before it times out or escalates. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinLevelTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Approvers asked at one level at most. Default 25.</summary>
    [Range(1, 1000)]
    public int MaxApproversPerLevel { get; set; } = 25;

    /// <summary>Levels of one approval at most, the first included. Default 5.</summary>
    [Range(1, 100)]
    public int MaxLevels { get; set; } = 5;

    /// <summary>
    /// Notifications (requests, reminders, escalations, decision notices) one run through a workflow's steps may send
    /// at most, counted from its definition when it starts. Default 200.
    /// </summary>
    [Range(1, 100000)]
    public int MaxNotificationsPerWorkflow { get; set; } = 200;
}
