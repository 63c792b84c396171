using System.Text.Json;
using HitlFunctions.Approvals;

namespace HitlFunctions.Tests.Approvals;

/// <summary>What a person changed: a word diff for texts, the changed fields for JSON.</summary>
public sealed class ProposalDiffTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Of_Text_GivesTheWordsDeletedAndInserted_WithinTheChangedLines()
    {
        ProposalChanges changes = ProposalDiff.Of(Json("\"The fox is quick.\\nIt jumps.\\nThe end.\""), Json("\"The fox is very quick.\\nIt jumps.\\nFin.\""))!;

        Assert.Equal("text", changes.Kind);
        Assert.Equal(
            [new("equal", "The fox is "), new("insert", "very "), new("equal", "quick.\nIt jumps.\n"), new("delete", "The end."), new("insert", "Fin.")],
            changes.Text!);
        Assert.Equal("2 words deleted, 2 inserted", changes.Summary);
    }

    [Fact]
    public void Of_Json_ListsChangedAddedAndRemovedFields_WithOldAndNewValues()
    {
        ProposalChanges changes = ProposalDiff.Of(
            Json("{\"vendor\": \"Contoso\", \"total\": 10, \"lines\": [{\"amount\": 1}, {\"amount\": 2}], \"note\": \"x\"}"),
            Json("{\"vendor\": \"Contoso\", \"total\": 12.5, \"lines\": [{\"amount\": 1}, {\"amount\": 3}], \"currency\": \"EUR\"}"))!;

        Assert.Equal("json", changes.Kind);
        Assert.Equal(
            [("total", "10", "12.5"), ("lines[1].amount", "2", "3"), ("note", "\"x\"", null), ("currency", null, "\"EUR\"")],
            changes.Fields!.Select(f => (f.Path, f.Old?.GetRawText(), f.New?.GetRawText())));
        Assert.Equal("total: 10 → 12.5; lines[1].amount: 2 → 3; note: \"x\" → (none); currency: (none) → \"EUR\"", changes.Summary);
    }

    [Fact]
    public void Of_NoEdit_IsNull_AndABlockTooBigToCompare_CountsAsReplacedWhole()
    {
        Assert.Null(ProposalDiff.Of(Json("\"a\""), null));

        string before = string.Join(" ", Enumerable.Range(0, 1500).Select(i => $"a{i}"));
        string after = string.Join(" ", Enumerable.Range(0, 1500).Select(i => $"b{i}"));
        IReadOnlyList<TextChange> changes = ProposalDiff.Text(before, after);

        Assert.Equal([new("delete", before), new("insert", after)], changes);
    }
}
