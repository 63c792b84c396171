using System.Text.RegularExpressions;
using HitlFunctions.Tests.Infrastructure;

namespace HitlFunctions.Tests;

/// <summary>
/// The feature namespaces of the Functions app depend on each other in one direction only. The dependencies are read
/// from the source's using directives, which say exactly what each file needs (an unused one fails the build, IDE0005).
/// </summary>
public sealed partial class NamespaceDependencyTests
{
    [GeneratedRegex(@"^namespace (HitlFunctions[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (HitlFunctions[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [Fact]
    public void FeatureNamespaces_DependInNoCircle()
    {
        Dictionary<string, HashSet<string>> uses = [];
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Azurite.RepositoryRoot(), "HitlFunctions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string text = File.ReadAllText(file);
            if (NamespaceLine().Match(text) is { Success: true } own && own.Groups[1].Value != "HitlFunctions")
            {
                HashSet<string> targets = uses.TryGetValue(own.Groups[1].Value, out HashSet<string>? known) ? known : uses[own.Groups[1].Value] = [];
                targets.UnionWith(UsingLine().Matches(text).Select(m => m.Groups[1].Value).Where(u => u != own.Groups[1].Value));
            }
        }

        Assert.Contains("HitlFunctions.Approvals", uses["HitlFunctions.Links"]);
        foreach (string start in uses.Keys)
        {
            Assert.Null(CircleFrom(start, start, uses, []));
        }
    }

    /// <summary>A path from <paramref name="from"/> back to <paramref name="start"/>, or null when there is none.</summary>
    private static string? CircleFrom(string start, string from, Dictionary<string, HashSet<string>> uses, HashSet<string> seen)
    {
        foreach (string next in uses.GetValueOrDefault(from) ?? [])
        {
            if (next == start)
            {
                return $"{from} -> {start}";
            }

            if (seen.Add(next) && CircleFrom(start, next, uses, seen) is { } rest)
            {
                return $"{from} -> {rest}";
            }
        }

        return null;
    }
}
