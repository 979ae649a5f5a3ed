using System.Text.RegularExpressions;

namespace Longhaul.Tests;

/// <summary>
/// docs/your-own-kind.md, docs/embed.md and docs/client.md show only code that compiles: each <c>csharp</c>/<c>json</c> snippet names the
/// sample files it is taken from (<c>`samples/…`</c> in the paragraph above it), and every line of it is a line of one of
/// those files.
/// </summary>
public sealed partial class DocSnippetTests
{
    [Theory]
    [InlineData("your-own-kind.md", 6)]
    [InlineData("embed.md", 6)]
    [InlineData("client.md", 5)]
    public void Doc_EverySnippetLine_IsALineOfTheSampleFileItNames(string page, int minimumSnippets)
    {
        var root = RepositoryRoot();
        var doc = File.ReadAllLines(Path.Combine(root, "docs", page));
        var problems = new List<string>();
        var checkedSnippets = 0;
        for (var i = 0; i < doc.Length; i++)
        {
            var fence = Fence().Match(doc[i]);
            if (!fence.Success) continue;
            var end = Array.FindIndex(doc, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            var snippet = doc[(i + 1)..end];
            var files = doc.Take(i).Reverse().SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => !string.IsNullOrWhiteSpace(l))
                .SelectMany(l => SampleFile().Matches(l).Select(m => m.Groups["path"].Value)).Distinct().ToList();
            i = end;
            if (fence.Groups["lang"].Value is not ("csharp" or "json")) continue;
            if (files.Count == 0)
            {
                problems.Add($"the snippet ending on line {end + 1} names no sample file it comes from");
                continue;
            }
            var sourceLines = files.SelectMany(f => File.ReadAllLines(Path.Combine(root, f))).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
            foreach (var line in snippet.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("// …", StringComparison.Ordinal)))
            {
                if (!sourceLines.Contains(line)) problems.Add($"'{line}' is in no line of {string.Join(", ", files)}");
            }
            checkedSnippets++;
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedSnippets >= minimumSnippets, $"Only {checkedSnippets} snippets checked.");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Longhaul.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Longhaul.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^```(?<lang>\w+)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"`(?<path>samples/[\w/.]+\.(cs|json))`")]
    private static partial Regex SampleFile();
}
