namespace HitlFunctions.Links;

/// <summary>What a link lets its holder do.</summary>
[Flags]
public enum LinkActions
{
    None = 0,
    Approve = 1,
    Reject = 2,
    ApproveWithEdits = 4,
    RequestChanges = 8,
}
