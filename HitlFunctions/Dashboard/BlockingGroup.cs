using HitlFunctions.Approvals;

namespace HitlFunctions.Dashboard;

/// <summary>The pending approvals one approver (or one definition) holds up, longest waiting first unless sorted otherwise.</summary>
/// <param name="Total">All of the group's approvals; <paramref name="Approvals"/> shows the first few.</param>
public sealed record BlockingGroup(string Name, IReadOnlyList<ApprovalListing> Approvals, int Total, int Overdue, TimeSpan OldestAge);
