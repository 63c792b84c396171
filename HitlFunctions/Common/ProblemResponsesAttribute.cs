using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace HitlFunctions.Common;

/// <summary>The RFC 9457 problem responses an HTTP function may answer with, for the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProblemResponsesAttribute(params int[] statusCodes) : Attribute
{
    public IReadOnlyList<int> StatusCodes { get; } = statusCodes;

    /// <summary>One response metadata per status code, each an <c>application/problem+json</c> <see cref="ProblemDetails"/>.</summary>
    public IEnumerable<ProducesResponseTypeMetadata> Metadata() =>
        this.StatusCodes.Select(status => new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}
