namespace HitlFunctions.Inbox;

/// <summary>A page of a person's inbox.</summary>
/// <param name="Total">How many approvals wait for the person (before the filter).</param>
/// <param name="Matching">How many match the filter.</param>
/// <param name="OverdueCount">How many of all are past their deadline.</param>
/// <param name="Definitions">The workflow definitions of all, for the filter.</param>
/// <param name="Next">The cursor of the next page, or null on the last.</param>
public sealed record InboxList(IReadOnlyList<InboxItem> Items, int Total, int Matching, int OverdueCount, IReadOnlyList<string> Definitions, string? Next);
