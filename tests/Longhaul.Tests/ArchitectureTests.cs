using System.Reflection;
using Longhaul.AspNetCore;
using Longhaul.Client;
using Longhaul.Contracts;
using Longhaul.Postgres;
using Longhaul.Sqlite;

namespace Longhaul.Tests;

/// <summary>Dependencies point inward (architecture.md): checked on the built assemblies.</summary>
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
}
