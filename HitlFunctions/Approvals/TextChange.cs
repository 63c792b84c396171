namespace HitlFunctions.Approvals;

/// <summary>A run of an edited text: kept as it was, inserted by the person, or deleted by them.</summary>
/// <param name="Op">equal, insert or delete.</param>
public sealed record TextChange(string Op, string Text);
