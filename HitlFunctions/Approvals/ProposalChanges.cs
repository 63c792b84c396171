namespace HitlFunctions.Approvals;

/// <summary>What a person changed in a proposal they approved with edits.</summary>
/// <param name="Kind">text (a word diff, in <paramref name="Text"/>) or json (the changed fields, in <paramref name="Fields"/>).</param>
/// <param name="Summary">In words: "2 words deleted, 5 inserted", "total: 10 → 120".</param>
public sealed record ProposalChanges(string Kind, string Summary, IReadOnlyList<TextChange>? Text, IReadOnlyList<FieldChange>? Fields);
