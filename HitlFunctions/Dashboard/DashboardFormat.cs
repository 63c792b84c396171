using System.Globalization;
using HitlFunctions.Approvals;

namespace HitlFunctions.Dashboard;

/// <summary>How the dashboard writes times and durations; tests compare the API's figures through the same rules.</summary>
public static class DashboardFormat
{
    /// <summary>A duration as people read it: "45 s", "12 min", "3 h 5 min", "2 d 4 h"; a dash for none.</summary>
    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "—",
        { } d when d < TimeSpan.Zero => "0 s",
        { } d when d < TimeSpan.FromMinutes(1) => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.#} s"),
        { } d when d < TimeSpan.FromHours(1) => string.Create(CultureInfo.InvariantCulture, $"{d.Minutes} min {d.Seconds} s"),
        { } d when d < TimeSpan.FromDays(1) => string.Create(CultureInfo.InvariantCulture, $"{d.Hours} h {d.Minutes} min"),
        { } d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalDays} d {d.Hours} h"),
    };

    /// <summary>A moment in UTC, to the second.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>A moment as a datetime-local form field holds it (UTC).</summary>
    public static string Field(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>How a decision reached the ledger, in words.</summary>
    public static string Channel(DecisionChannel? via, string? recordedBy) => via switch
    {
        DecisionChannel.Link => "by emailed link",
        DecisionChannel.Page => "in the inbox",
        DecisionChannel.Api => "over the API",
        DecisionChannel.OnBehalf => $"on their behalf by {recordedBy}",
        _ => "(channel not recorded)",
    };
}
