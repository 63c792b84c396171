namespace HitlFunctions.Dashboard;

/// <summary>What "who is blocking what" shows: grouped by approver or definition, filtered, sorted by age, which page.</summary>
/// <param name="Group">approver or definition.</param>
/// <param name="Sort">oldest (longest waiting first) or newest.</param>
/// <param name="Page">1-based page of groups.</param>
public sealed record BlockingQuery(string Group, string? Approver, int? Level, string? Definition, bool Overdue, string Sort, int Page);
