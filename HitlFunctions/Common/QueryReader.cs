using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HitlFunctions.Common;

/// <summary>Reads query parameters strictly (an unknown parameter is a problem), collecting the first problem.</summary>
public sealed class QueryReader(IQueryCollection query)
{
    /// <summary>The query parameter that carries a function key in Azure; it is the platform's, not a filter.</summary>
    public const string FunctionKeyParameter = "code";

    /// <summary>The longest duration a query accepts (3650 days): beyond it, date arithmetic leaves the calendar.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3650);

    /// <summary>The earliest and latest times a query accepts.</summary>
    public static readonly DateTimeOffset MinTime = DateTimeOffset.UnixEpoch;

    public static readonly DateTimeOffset MaxTime = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private FieldError? error;

    public IEnumerable<string> List(string name) =>
        query[name].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public string? Text(string name) => query[name].ToString() is { Length: > 0 } value ? value : null;

    public string? OneOf(string name, params string[] allowed)
    {
        string? value = this.Text(name);
        if (value is not null && !allowed.Contains(value))
        {
            this.Fail(name, $"'{value}' is not one of {string.Join(", ", allowed)}.");
        }

        return value;
    }

    public int? WholeNumber(string name, int min, int max)
    {
        string? value = this.Text(name);
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) || number < min || number > max)
        {
            this.Fail(name, $"'{name}' is a whole number from {min} to {max}.");
            return null;
        }

        return number;
    }

    public bool? Flag(string name)
    {
        string? value = this.Text(name);
        if (value is null)
        {
            return null;
        }

        if (!bool.TryParse(value, out bool result))
        {
            this.Fail(name, $"'{name}' is true or false.");
        }

        return result;
    }

    public TimeSpan? Duration(string name)
    {
        string? value = this.Text(name);
        if (value is null)
        {
            return null;
        }

        if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan duration) || duration < TimeSpan.Zero || duration > MaxDuration)
        {
            this.Fail(name, $"'{name}' is a duration from 0 to {MaxDuration.TotalDays:0} days as d.hh:mm:ss, for example 1.00:00:00.");
            return null;
        }

        return duration;
    }

    public DateTimeOffset? Time(string name)
    {
        string? value = this.Text(name);
        if (value is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time) || time < MinTime || time > MaxTime)
        {
            this.Fail(name, $"'{name}' is a date and time from 1970 to 9000, for example 2026-11-25T09:00:00Z.");
            return null;
        }

        return time;
    }

    public void Fail(string field, string message) => this.error ??= new FieldError(field, message);

    public ProblemHttpResult? Problem(IReadOnlyCollection<string> known)
    {
        if (query.Keys.FirstOrDefault(k => !known.Contains(k) && k != FunctionKeyParameter) is { } unknown)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Unknown query parameter", $"Unknown query parameter '{unknown}'; use {string.Join(", ", known)}.", unknown);
        }

        return this.error is null ? null : Problems.Validation([this.error]);
    }

    /// <summary>The first problem as a field and a sentence, for a page to show: an unknown parameter or a bad value.</summary>
    public FieldError? Error(IReadOnlyCollection<string> known) =>
        query.Keys.FirstOrDefault(k => !known.Contains(k) && k != FunctionKeyParameter) is { } unknown
            ? new FieldError(unknown, $"Unknown query parameter '{unknown}'; use {string.Join(", ", known)}.")
            : this.error;
}
