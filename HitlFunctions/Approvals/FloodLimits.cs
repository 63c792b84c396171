using HitlFunctions.Common;

namespace HitlFunctions.Approvals;

/// <summary>Checks an approval's chain of levels and reminders against <see cref="FloodLimitOptions"/>.</summary>
public static class FloodLimits
{
    /// <summary>
    /// Adds an error for each limit the chain passes, and returns the most notifications it can send: every approver's
    /// request and reminders at every level, and one decision notice.
    /// </summary>
    /// <param name="at">The field of the approval, such as <c>definition.steps[1](review)</c>, or empty.</param>
    /// <param name="levels">Each level's field, approvers and timeout, the first level first.</param>
    /// <param name="levelsField">The field named when there are too many levels.</param>
    public static int Check(string at, IReadOnlyList<(string Field, int Approvers, TimeSpan Timeout)> levels, string levelsField, ReminderPolicy? reminders, FloodLimitOptions limits, List<FieldError> errors)
    {
        string Field(string name) => at.Length == 0 ? name : $"{at}.{name}";
        string section = FloodLimitOptions.SectionName;
        if (levels.Count > limits.MaxLevels)
        {
            errors.Add(new(Field(levelsField), $"An approval has at most {limits.MaxLevels} levels, the first included: {section}:MaxLevels ({limits.MaxLevels})."));
        }

        foreach ((string field, int approvers, TimeSpan timeout) in levels)
        {
            if (approvers > limits.MaxApproversPerLevel)
            {
                errors.Add(new(Field($"{field}approvers"), $"A level asks at most {limits.MaxApproversPerLevel} approvers: {section}:MaxApproversPerLevel ({limits.MaxApproversPerLevel})."));
            }

            if (timeout < limits.MinLevelTimeout)
            {
                errors.Add(new(Field($"{field}timeout"), $"A level lasts at least {limits.MinLevelTimeout:c}: {section}:MinLevelTimeout ({limits.MinLevelTimeout:c})."));
            }
        }

        if (reminders is not null && reminders.MaxCount > 0 && reminders.Interval < limits.MinReminderInterval)
        {
            errors.Add(new(Field("reminders.interval"), $"Reminders come at most once every {limits.MinReminderInterval:c}: {section}:MinReminderInterval ({limits.MinReminderInterval:c})."));
        }

        int perApprover = 1 + Math.Max(0, reminders?.MaxCount ?? 0);
        return levels.Sum(l => l.Approvers * perApprover) + 1;
    }
}
