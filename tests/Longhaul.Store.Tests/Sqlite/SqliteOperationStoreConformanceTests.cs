using Longhaul.Sqlite;
using Longhaul.Storage;
using Longhaul.Store.Tests.Conformance;

namespace Longhaul.Store.Tests.Sqlite;

/// <summary>The conformance suite against the embedded store, on a fresh database file per test.</summary>
public sealed class SqliteOperationStoreConformanceTests : OperationStoreConformanceTests
{
    private readonly TempDatabase _database = new();

    protected override async Task<IOperationStore> CreateStoreAsync(TimeProvider clock, IStoreNotifier notifier)
    {
        var store = new SqliteOperationStore(_database.Path, clock, notifier);
        await store.MigrateAsync(Ct);
        return store;
    }

    protected override async ValueTask DisposeStoreAsync(IOperationStore store)
    {
        try
        {
            await ((SqliteOperationStore)store).DisposeAsync();
        }
        finally
        {
            _database.Delete();
        }
    }

    [Fact]
    public void OwnsAllLeases_SingleProcessStore_IsTrue()
    {
        Assert.True(Store.OwnsAllLeases);
    }
}
