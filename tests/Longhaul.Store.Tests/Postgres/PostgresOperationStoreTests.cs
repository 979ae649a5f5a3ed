using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Postgres;
using Longhaul.Storage;
using Npgsql;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>What only the PostgreSQL store has: its schema option, concurrent migrators, and the real database clock.</summary>
public sealed class PostgresOperationStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Constructor_SchemaThatIsNotAPlainIdentifier_Throws()
    {
        var options = new PostgresStoreOptions { ConnectionString = "Host=localhost", Schema = "x\"; DROP TABLE y; --" };

        var error = Assert.Throws<ArgumentException>(() => new PostgresOperationStore(options, new InProcessStoreNotifier()));
        Assert.Contains("Schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_SeveralNodesAtOnce_AllSucceedAndSchemaWorks()
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        var stores = Enumerable.Range(0, 4)
            .Select(_ => new PostgresOperationStore(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema }, new InProcessStoreNotifier()))
            .ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => s.MigrateAsync(Ct)));

            Assert.All(await Task.WhenAll(stores.Select(s => s.PingAsync(Ct))), Assert.True);
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ReadConnectionBudgetAsync_PoolAboveServerLimit_ReportsServerSettingsAndOverrun()
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        await using var store = new PostgresOperationStore(
            new PostgresStoreOptions { ConnectionString = $"{connectionString};Maximum Pool Size=1000", Schema = PostgresTestDatabase.NewSchemaName() },
            new InProcessStoreNotifier());

        // Opened before the budget is read, so that at least this connection is in use by others.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);

        var budget = await store.ReadConnectionBudgetAsync(Ct);

        await using var show = new NpgsqlCommand("SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int", connection);
        await using var reader = await show.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(reader.GetInt32(0), budget.MaxConnections);
        Assert.True(budget.Reserved >= reader.GetInt32(1));
        Assert.True(budget.InUseByOthers >= 1, $"{budget}");
        Assert.Equal(1000, budget.PoolSize);
        Assert.Equal(3, budget.Dedicated);
        Assert.True(budget.Overrun);
        Assert.Contains("Maximum Pool Size 1000", budget.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", PostgresStoreOptions.DefaultMaxPoolSize)]
    [InlineData(";Maximum Pool Size=7", 7)]
    [InlineData(";MaxPoolSize=8", 8)]
    [InlineData(";maximum pool size=100", 100)]
    [InlineData(";Minimum Pool Size=12;Maximum Pool Size=12", 12)]
    [InlineData(";Maximum Pool Size=1", 2)]
    public async Task ReadConnectionBudgetAsync_PoolSizeSetOrNot_UsesTheConnectionStringsOrTheStoreDefault(string suffix, int expected)
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        await using var store = new PostgresOperationStore(
            new PostgresStoreOptions { ConnectionString = connectionString + suffix, Schema = PostgresTestDatabase.NewSchemaName() }, new InProcessStoreNotifier());

        Assert.Equal(expected, (await store.ReadConnectionBudgetAsync(Ct)).PoolSize);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(";No Reset On Close=false", false)]
    [InlineData(";NoResetOnClose=false", false)]
    [InlineData(";No Reset On Close=true", true)]
    public async Task Constructor_NoResetOnCloseSetOrNot_UsesTheConnectionStringsOrTrue(string suffix, bool expected)
    {
        await using var store = new PostgresOperationStore(
            new PostgresStoreOptions { ConnectionString = "Host=localhost;Password=x" + suffix }, new InProcessStoreNotifier());

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(store.PoolConnectionString).NoResetOnClose);
    }

    [Theory]
    [InlineData("", PostgresStoreOptions.DefaultMaxAutoPrepare)]
    [InlineData(";Max Auto Prepare=0", 0)]
    [InlineData(";MaxAutoPrepare=5", 5)]
    public async Task Constructor_MaxAutoPrepareSetOrNot_UsesTheConnectionStringsOrTheStoreDefault(string suffix, int expected)
    {
        await using var store = new PostgresOperationStore(
            new PostgresStoreOptions { ConnectionString = "Host=localhost;Password=x" + suffix }, new InProcessStoreNotifier());

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(store.PoolConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public void ConnectionBudget_NodeFitsBesideOthers_IsNoOverrunAndNamesLargestPool()
    {
        var fits = new PostgresConnectionBudget(MaxConnections: 100, Reserved: 3, InUseByOthers: 40, PoolSize: 32, Dedicated: 2);
        var overruns = fits with { InUseByOthers = 70 };

        Assert.False(fits.Overrun);
        Assert.Equal(55, fits.LargestFittingPool);
        Assert.True(overruns.Overrun);
        Assert.Contains("to 25 or less", overruns.Describe(), StringComparison.Ordinal);
        Assert.Contains("max_connections 100 - 3 reserved", overruns.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PingAsync_SchemaNotMigrated_ReturnsFalse()
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        await using var store = new PostgresOperationStore(
            new PostgresStoreOptions { ConnectionString = connectionString, Schema = PostgresTestDatabase.NewSchemaName() }, new InProcessStoreNotifier());

        Assert.False(await store.PingAsync(Ct));
    }

    [Fact]
    public async Task ClaimAsync_WithoutTestClock_StampsDatabaseTimeAndLeasesFromIt()
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        var store = new PostgresOperationStore(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema }, new InProcessStoreNotifier());
        try
        {
            await store.MigrateAsync(Ct);
            var machineNow = TimeProvider.System.GetUtcNow();
            var op = new OperationToStart(OperationIds.New(TimeProvider.System), "tenant-a", "work", JsonDocument.Parse("{}").RootElement.Clone(), null, null, 0, 3, 60);

            var created = (await store.StartAsync(new StartParams(op, null), Ct)).Operation!;
            var claimed = Assert.Single(await store.ClaimAsync(new ClaimParams("node-a", ["work"], 1, TimeSpan.FromSeconds(30)), Ct));

            // Same machine as the database here: its clock and ours agree well within a minute.
            Assert.InRange(created.CreatedAt, machineNow - TimeSpan.FromMinutes(1), machineNow + TimeSpan.FromMinutes(1));
            Assert.Equal(created.CreatedAt + TimeSpan.FromSeconds(60), created.DeadlineAt);
            Assert.Equal(claimed.StartedAt + TimeSpan.FromSeconds(30), claimed.LeaseExpiresAt);
            Assert.Equal(OperationStatus.Running, claimed.Status);
            Assert.Equal(0, (await store.ReapAsync(new ReapParams(), Ct)).Requeued);
        }
        finally
        {
            await store.DisposeAsync();
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ClaimAsync_ReadyRowLockedByAnotherTransaction_SkipsItWithoutWaiting()
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        var store = new PostgresOperationStore(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema }, new InProcessStoreNotifier());
        try
        {
            await store.MigrateAsync(Ct);
            var locked = await StartOperationAsync(store, priority: 1);
            var free = await StartOperationAsync(store, priority: 0);
            await using var other = new NpgsqlConnection(connectionString);
            await other.OpenAsync(Ct);
            await using var transaction = await other.BeginTransactionAsync(Ct);
            await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM \"{schema}\".operations WHERE id = @id FOR UPDATE", other, transaction))
            {
                lockRow.Parameters.AddWithValue("id", locked.Id);
                await lockRow.ExecuteScalarAsync(Ct);
            }

            var claimed = await store.ClaimAsync(new ClaimParams("node-a", ["work"], 10, TimeSpan.FromSeconds(30)), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

            Assert.Equal(free.Id, Assert.Single(claimed).Id);
            await transaction.RollbackAsync(Ct);
            Assert.Equal(locked.Id, Assert.Single(await store.ClaimAsync(new ClaimParams("node-b", ["work"], 10, TimeSpan.FromSeconds(30)), Ct)).Id);
        }
        finally
        {
            await store.DisposeAsync();
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }

    private static async Task<Operation> StartOperationAsync(PostgresOperationStore store, int priority)
    {
        var op = new OperationToStart(OperationIds.New(TimeProvider.System), "tenant-a", "work", JsonDocument.Parse("{}").RootElement.Clone(), null, null, priority, 3, null);
        return (await store.StartAsync(new StartParams(op, null), Ct)).Operation!;
    }
}
