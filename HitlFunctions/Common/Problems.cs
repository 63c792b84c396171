using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HitlFunctions.Common;

/// <summary>RFC 9457 problem+json answers, shaped alike everywhere: a title, a detail and the offending field.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail, string? field = null, IDictionary<string, object?>? extensions = null)
    {
        Dictionary<string, object?> extra = extensions is null ? [] : new(extensions);
        if (field is not null)
        {
            extra["field"] = field;
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: $"https://hitlfunctions.dev/problems/{status}", extensions: extra);
    }

    public static ProblemHttpResult Validation(IReadOnlyList<FieldError> errors, string title = "The request is invalid") =>
        Create(
            StatusCodes.Status400BadRequest,
            title,
            string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
            errors[0].Field,
            new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { field = e.Field, message = e.Message }).ToArray() });

    public static ProblemHttpResult NotFound(string what, string id) =>
        Create(StatusCodes.Status404NotFound, $"{what} not found", $"There is no {what.ToLowerInvariant()} with id '{id}'.");

    public static ProblemHttpResult Unavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable", detail);
}
