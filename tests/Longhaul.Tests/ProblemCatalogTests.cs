using System.Reflection;
using Longhaul.Contracts;

namespace Longhaul.Tests;

/// <summary>The problem catalog covers every code once, and docs/http-api.md lists it as it is.</summary>
public sealed class ProblemCatalogTests
{
    private static IReadOnlyList<string> Codes => typeof(ProblemCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    [Fact]
    public void Catalog_EveryProblemCode_HasExactlyOneEntry()
    {
        foreach (var code in Codes) Assert.Single(ProblemCatalog.All, d => d.Code == code);
        Assert.Equal(Codes.Order(StringComparer.Ordinal), ProblemCatalog.All.Select(d => d.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Catalog_EveryEntry_HasATitleAndAnErrorStatus()
    {
        Assert.All(ProblemCatalog.All, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Title), $"{d.Code} has no title");
            Assert.InRange(d.Status, 400, 599);
        });
    }

    [Fact]
    public void Catalog_UnknownCode_GetThrowsAndTryGetAnswersFalse()
    {
        Assert.Throws<KeyNotFoundException>(() => ProblemCatalog.Get("attempts_exhausted"));
        Assert.False(ProblemCatalog.TryGet("attempts_exhausted", out _));
        Assert.True(ProblemCatalog.TryGet(ProblemCodes.NotFound, out var notFound));
        Assert.Equal(404, notFound.Status);
    }

    [Fact]
    public void HttpApiDoc_ProblemCodesTable_ListsEveryEntryWithItsStatusAndTitleAndNothingElse()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Longhaul.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var doc = File.ReadAllLines(Path.Combine(root.FullName, "docs", "http-api.md"));
        var section = doc.SkipWhile(l => l != "## Problem codes").Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));
        var rows = section.Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        Assert.Equal(ProblemCatalog.All.Select(d => $"| `{d.Code}` | {d.Status} | {d.Title} |"), rows);
    }
}
