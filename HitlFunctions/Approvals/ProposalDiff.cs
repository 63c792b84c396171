using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HitlFunctions.Approvals;

/// <summary>
/// Compares an edited proposal with the original: texts line by line, then word by word within the changed lines;
/// JSON objects field by field. Pure and deterministic, so the checkpoint may call it in an orchestration.
/// </summary>
public static partial class ProposalDiff
{
    /// <summary>The largest comparison table (rows × columns) computed; beyond it the changed block counts as replaced whole.</summary>
    public const int MaxCells = 1_000_000;

    [GeneratedRegex(@"\s+|[^\s]+")]
    private static partial Regex Token();

    /// <summary>The changes from <paramref name="original"/> to <paramref name="edited"/>, or null when there is no edit.</summary>
    public static ProposalChanges? Of(JsonElement original, JsonElement? edited)
    {
        if (edited is not { } after)
        {
            return null;
        }

        if (original.ValueKind == JsonValueKind.String && after.ValueKind == JsonValueKind.String)
        {
            IReadOnlyList<TextChange> text = Text(original.GetString() ?? string.Empty, after.GetString() ?? string.Empty);
            int deleted = Words(text, "delete");
            int inserted = Words(text, "insert");
            string summary = deleted + inserted == 0 ? "No words changed" : $"{Count(deleted, "word")} deleted, {inserted.ToString(CultureInfo.InvariantCulture)} inserted";
            return new ProposalChanges("text", summary, text, null);
        }

        List<FieldChange> fields = [];
        Fields(string.Empty, original, after, fields);
        string fieldSummary = fields.Count == 0 ? "No fields changed" : string.Join("; ", fields.Select(f => $"{(f.Path.Length == 0 ? "value" : f.Path)}: {Show(f.Old)} → {Show(f.New)}"));
        return new ProposalChanges("json", fieldSummary, null, fields);
    }

    /// <summary>A word diff of two texts.</summary>
    public static IReadOnlyList<TextChange> Text(string before, string after)
    {
        string[] oldLines = Lines(before);
        string[] newLines = Lines(after);
        List<TextChange> changes = [];
        List<string> removed = [];
        List<string> added = [];
        foreach ((char op, int index) in Compare(oldLines, newLines))
        {
            if (op == '=')
            {
                Flush();
                Add(changes, "equal", oldLines[index]);
            }
            else if (op == '-')
            {
                removed.Add(oldLines[index]);
            }
            else
            {
                added.Add(newLines[index]);
            }
        }

        Flush();
        return changes;

        void Flush()
        {
            if (removed.Count + added.Count == 0)
            {
                return;
            }

            string[] oldTokens = [.. Token().Matches(string.Concat(removed)).Select(m => m.Value)];
            string[] newTokens = [.. Token().Matches(string.Concat(added)).Select(m => m.Value)];
            foreach ((char op, int index) in Compare(oldTokens, newTokens))
            {
                Add(changes, op switch { '=' => "equal", '-' => "delete", _ => "insert" }, op == '+' ? newTokens[index] : oldTokens[index]);
            }

            removed.Clear();
            added.Clear();
        }
    }

    /// <summary>
    /// An edit script from <paramref name="a"/> to <paramref name="b"/>: '=' (index into a), '-' (into a), '+' (into b).
    /// The common start and end are trimmed; the middle is a longest-common-subsequence table, or replaced whole when too big.
    /// </summary>
    private static List<(char Op, int Index)> Compare(string[] a, string[] b)
    {
        int start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }

        int endA = a.Length;
        int endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }

        List<(char, int)> script = [.. Enumerable.Range(0, start).Select(i => ('=', i))];
        int n = endA - start;
        int m = endB - start;
        if ((long)n * m > MaxCells)
        {
            script.AddRange(Enumerable.Range(start, n).Select(i => ('-', i)));
            script.AddRange(Enumerable.Range(start, m).Select(j => ('+', j)));
        }
        else
        {
            int[,] lcs = new int[n + 1, m + 1];
            for (int i = n - 1; i >= 0; i--)
            {
                for (int j = m - 1; j >= 0; j--)
                {
                    lcs[i, j] = a[start + i] == b[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                }
            }

            int x = 0;
            int y = 0;
            while (x < n || y < m)
            {
                if (x < n && y < m && a[start + x] == b[start + y])
                {
                    script.Add(('=', start + x++));
                    y++;
                }
                else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
                {
                    script.Add(('-', start + x++));
                }
                else
                {
                    script.Add(('+', start + y++));
                }
            }
        }

        script.AddRange(Enumerable.Range(endA, a.Length - endA).Select(i => ('=', i)));
        return script;
    }

    private static void Fields(string path, JsonElement before, JsonElement after, List<FieldChange> changes)
    {
        if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in before.EnumerateObject())
            {
                string at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (after.TryGetProperty(property.Name, out JsonElement value))
                {
                    Fields(at, property.Value, value, changes);
                }
                else
                {
                    changes.Add(new FieldChange(at, property.Value, null));
                }
            }

            foreach (JsonProperty property in after.EnumerateObject().Where(p => !before.TryGetProperty(p.Name, out _)))
            {
                changes.Add(new FieldChange(path.Length == 0 ? property.Name : $"{path}.{property.Name}", null, property.Value));
            }
        }
        else if (before.ValueKind == JsonValueKind.Array && after.ValueKind == JsonValueKind.Array && before.GetArrayLength() == after.GetArrayLength())
        {
            for (int i = 0; i < before.GetArrayLength(); i++)
            {
                Fields($"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", before[i], after[i], changes);
            }
        }
        else if (!JsonElement.DeepEquals(before, after))
        {
            changes.Add(new FieldChange(path, before, after));
        }
    }

    private static string[] Lines(string text)
    {
        List<string> lines = [];
        int from = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[from..(i + 1)]);
                from = i + 1;
            }
        }

        if (from < text.Length)
        {
            lines.Add(text[from..]);
        }

        return [.. lines];
    }

    private static void Add(List<TextChange> changes, string op, string text)
    {
        if (changes.Count > 0 && changes[^1].Op == op)
        {
            changes[^1] = changes[^1] with { Text = changes[^1].Text + text };
        }
        else
        {
            changes.Add(new TextChange(op, text));
        }
    }

    private static int Words(IReadOnlyList<TextChange> changes, string op) =>
        changes.Where(c => c.Op == op).Sum(c => Token().Matches(c.Text).Count(t => !string.IsNullOrWhiteSpace(t.Value)));

    private static string Count(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count.ToString(CultureInfo.InvariantCulture)} {unit}s";

    private static string Show(JsonElement? value) => value is { } v ? Shorten(v.GetRawText()) : "(none)";

    private static string Shorten(string text) => text.Length <= 80 ? text : new StringBuilder(text, 0, 77, 80).Append("...").ToString();
}
