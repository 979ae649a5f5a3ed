using Longhaul.Postgres;
using Longhaul.Storage;
using Longhaul.Store.Tests.Conformance;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>
/// The conformance suite against PostgreSQL (<c>LONGHAUL_TEST_POSTGRES</c>), each test in a fresh schema of its own,
/// dropped afterwards. The suite's <see cref="Longhaul.Testing.ManualTimeProvider"/> drives the store through the
/// store's <see cref="PostgresStoreOptions.TestClockOverride"/> hook, so the base <c>AdvanceAsync</c> moves the clock
/// every statement uses in place of the database's <c>now()</c>.
/// </summary>
public sealed class PostgresOperationStoreConformanceTests : OperationStoreConformanceTests
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private string? _connectionString;

    protected override async Task<IOperationStore> CreateStoreAsync(TimeProvider clock, IStoreNotifier notifier)
    {
        _connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var store = new PostgresOperationStore(
            new PostgresStoreOptions { ConnectionString = _connectionString, Schema = _schema, TestClockOverride = clock },
            notifier);
        await store.MigrateAsync(Ct);
        return store;
    }

    protected override async ValueTask DisposeStoreAsync(IOperationStore store)
    {
        try
        {
            await ((PostgresOperationStore)store).DisposeAsync();
        }
        finally
        {
            if (_connectionString is not null) await PostgresTestDatabase.DropSchemaAsync(_connectionString, _schema, CancellationToken.None);
        }
    }

    [Fact]
    public void OwnsAllLeases_SharedStore_IsFalse()
    {
        Assert.False(Store.OwnsAllLeases);
    }

    [Fact]
    public async Task MigrateAsync_AppliedTwice_IsANoOpAndStoreAnswersPing()
    {
        await Store.MigrateAsync(Ct);

        Assert.True(await Store.PingAsync(Ct));
    }
}
