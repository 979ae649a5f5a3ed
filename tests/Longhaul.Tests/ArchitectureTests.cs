using System.Reflection;
using Longhaul.AspNetCore;
using Longhaul.Client;
using Longhaul.Contracts;
using Longhaul.Postgres;
using Longhaul.Sqlite;

namespace Longhaul.Tests;

/// <summary>Dependencies point inward (architecture.md): checked on the built assemblies. Source files stay small enough to read.</summary>
public sealed class ArchitectureTests
{
    private static string[] LonghaulReferences(Assembly assembly)
        => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Longhaul", StringComparison.OrdinalIgnoreCase)).Order()];

    [Fact]
    public void Contracts_References_NoOtherLonghaulAssembly()
        => Assert.Empty(LonghaulReferences(typeof(OperationResource).Assembly));

    [Fact]
    public void Client_References_OnlyContracts()
        => Assert.Equal(["Longhaul.Contracts"], LonghaulReferences(typeof(LonghaulClient).Assembly));

    [Fact]
    public void Core_References_OnlyContracts()
        => Assert.Equal(["Longhaul.Contracts"], LonghaulReferences(typeof(Operation).Assembly));

    [Fact]
    public void SqliteStore_References_OnlyCoreAndContracts()
        => Assert.Subset(new HashSet<string> { "Longhaul.Contracts", "Longhaul.Core" }, LonghaulReferences(typeof(SqliteOperationStore).Assembly).ToHashSet());

    [Fact]
    public void PostgresStore_References_OnlyCoreAndContracts()
        => Assert.Subset(new HashSet<string> { "Longhaul.Contracts", "Longhaul.Core" }, LonghaulReferences(typeof(PostgresOperationStore).Assembly).ToHashSet());

    [Fact]
    public void AspNetCore_References_OnlyCoreAndContracts()
        => Assert.Subset(new HashSet<string> { "Longhaul.Contracts", "Longhaul.Core" }, LonghaulReferences(typeof(TenantResolver).Assembly).ToHashSet());

    [Fact]
    public void NoLibrary_References_TheServer()
    {
        Assembly[] libraries = [typeof(OperationResource).Assembly, typeof(Operation).Assembly, typeof(SqliteOperationStore).Assembly, typeof(PostgresOperationStore).Assembly, typeof(TenantResolver).Assembly, typeof(LonghaulClient).Assembly];
        Assert.All(libraries, a => Assert.DoesNotContain("longhaul", LonghaulReferences(a), StringComparer.Ordinal));
    }

    /// <summary>House rule: split a large type into <c>Type.Concern.cs</c> partial files past ~400 lines; this is the hard stop.</summary>
    private const int MaxSourceLines = 450;

    [Fact]
    public void SourceFiles_UnderSrcTestsBenchAndSamples_HaveAtMost450Lines()
    {
        var root = RepositoryRoot();
        var tooLong = new[] { "src", "tests", "bench", "samples" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(segment => segment is "bin" or "obj"))
            .Select(path => (Path: path, Lines: File.ReadLines(Path.Combine(root, path)).Count()))
            .Where(file => file.Lines > MaxSourceLines)
            .OrderBy(file => file.Path, StringComparer.Ordinal)
            .Select(file => $"{file.Path} ({file.Lines} lines)")
            .ToList();
        if (tooLong.Count > 0)
        {
            Assert.Fail($"Past {MaxSourceLines} lines; split by concern into Type.Concern.cs partial files (architecture.md): {string.Join(", ", tooLong)}");
        }
    }

    /// <summary>The folder holding Longhaul.sln, found by walking up from the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Longhaul.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Longhaul.sln above {AppContext.BaseDirectory}.");
    }
}
