namespace HitlFunctions.Workflows;

/// <summary>A tool call is asked about only when its number argument <see cref="Argument"/> is above <see cref="Value"/>.</summary>
/// <param name="Argument">The argument compared, a number in the tool's schema.</param>
/// <param name="Value">The limit: a number, or a template such as <c>{{input.approvalAbove}}</c>. A call whose argument or limit is not a number is asked about.</param>
public sealed record ApprovalThreshold(string Argument, string Value);
