namespace HitlFunctions.Common;

/// <summary>A problem with one field of a request or definition.</summary>
/// <param name="Field">Where: <c>steps[1](review).timeout</c>, <c>input.editor</c>.</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record FieldError(string Field, string Message);
