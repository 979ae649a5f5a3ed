using Longhaul.Contracts;
using Longhaul.Postgres;
using Longhaul.Storage;
using Longhaul.Store.Tests.Starter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>
/// <see cref="PostgresOperationStarterExtensions.StartInTransactionAsync"/>: an app's own write (a row of its
/// <c>app_orders</c> table) and the operation commit together or not at all, on the app's connection.
/// </summary>
public sealed class PostgresTransactionalStartTests : IAsyncLifetime
{
    private static readonly TimeSpan OutcomeTimeout = TimeSpan.FromSeconds(20);
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private string _connectionString = "";
    private IHost? _host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IOperationStarter Starter => _host!.Services.GetRequiredService<IOperationStarter>();

    private IOperationStore Store => _host!.Services.GetRequiredService<IOperationStore>();

    public ValueTask InitializeAsync()
    {
        _connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_host is not null)
            {
                await _host.StopAsync(CancellationToken.None);
                _host.Dispose();
            }
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(_connectionString, _schema, CancellationToken.None);
        }
    }

    [Fact]
    public async Task StartInTransactionAsync_Committed_OperationAndAppRowCommitTogetherAndTheOperationIsClaimable()
    {
        await StartHostAsync(runWorkers: false);
        await using var connection = await OpenAppConnectionAsync();
        var pathBefore = await ScalarAsync<string>(connection, null, "SHOW search_path");
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await InsertOrderAsync(connection, transaction, "o-1");

        var started = await Starter.StartInTransactionAsync(transaction, ReportHandler.Name, new ReportInput("q3", 3),
            new OperationStartOptions { IdempotencyKey = "order-o-1" }, Ct);

        Assert.False(started.Replayed);
        Assert.Equal(pathBefore, await ScalarAsync<string>(connection, transaction, "SHOW search_path"));
        Assert.Null(await Starter.GetAsync(started.Operation.Id, cancellationToken: Ct));
        await transaction.CommitAsync(Ct);

        Assert.Equal(1L, await CountOrdersAsync("o-1"));
        var op = await Starter.GetAsync(started.Operation.Id, cancellationToken: Ct);
        Assert.Equal((OperationStatus.Pending, 4, 300.0), (op?.Status, op?.MaxAttempts, op?.TimeoutSeconds));
        var claimed = Assert.Single(await ClaimAsync());
        Assert.Equal(started.Operation.Id, claimed.Id);
        var replayed = await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 3), new OperationStartOptions { IdempotencyKey = "order-o-1" }, Ct);
        Assert.True(replayed.Replayed);
        Assert.Equal(started.Operation.Id, replayed.Operation.Id);
    }

    [Fact]
    public async Task StartInTransactionAsync_RolledBack_LeavesNoOperationNothingClaimableAndTheKeyFree()
    {
        await StartHostAsync(runWorkers: false);
        string rolledBackId;
        await using (var connection = await OpenAppConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            await InsertOrderAsync(connection, transaction, "o-2");
            rolledBackId = (await Starter.StartInTransactionAsync(transaction, ReportHandler.Name, new ReportInput("q3", 3),
                new OperationStartOptions { IdempotencyKey = "order-o-2" }, Ct)).Operation.Id;
            await transaction.RollbackAsync(Ct);
        }

        Assert.Equal(0L, await CountOrdersAsync("o-2"));
        Assert.Null(await Starter.GetAsync(rolledBackId, cancellationToken: Ct));
        Assert.Empty(await ClaimAsync());
        var again = await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 4), new OperationStartOptions { IdempotencyKey = "order-o-2" }, Ct);
        Assert.False(again.Replayed);
        Assert.NotEqual(rolledBackId, again.Operation.Id);
    }

    [Fact]
    public async Task StartInTransactionAsync_InvalidInput_ThrowsBeforeWritingAndTheAppsTransactionStillCommits()
    {
        await StartHostAsync(runWorkers: false);
        await using var connection = await OpenAppConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await InsertOrderAsync(connection, transaction, "o-3");

        var error = await Assert.ThrowsAsync<OperationValidationException>(() =>
            Starter.StartInTransactionAsync(transaction, ReportHandler.Name, new ReportInput("q3", 0), cancellationToken: Ct));
        await transaction.CommitAsync(Ct);

        Assert.Equal(["input.pages"], error.Errors.Keys);
        Assert.Equal(1L, await CountOrdersAsync("o-3"));
        Assert.Empty(await ClaimAsync());
    }

    [Fact]
    public async Task StartInTransactionAsync_EndedTransaction_Throws()
    {
        await StartHostAsync(runWorkers: false);
        await using var connection = await OpenAppConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await transaction.CommitAsync(Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Starter.StartInTransactionAsync(transaction, ReportHandler.Name, new ReportInput("q3", 1), cancellationToken: Ct));
    }

    [Fact]
    public async Task StartInTransactionAsync_Committed_WakesTheWorkersAtCommitAndRunsToSucceeded()
    {
        // Polling only every 10 minutes: the worker runs the operation within the test's time only if the commit woke it.
        await StartHostAsync(runWorkers: true);
        await _host!.Services.GetRequiredService<PostgresStoreNotifier>().Listening.WaitAsync(OutcomeTimeout, Ct);
        await using var connection = await OpenAppConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await InsertOrderAsync(connection, transaction, "o-4");
        var id = (await Starter.StartInTransactionAsync(transaction, ReportHandler.Name, new ReportInput("q4", 9), cancellationToken: Ct)).Operation.Id;

        using var changed = new SemaphoreSlim(0);
        using var subscription = _host.Services.GetRequiredService<IStoreNotifier>().Subscribe((_, opId) =>
        {
            if (opId is null || opId == id) changed.Release();
        });
        await transaction.CommitAsync(Ct);

        var op = await WaitUntilDoneAsync(id, changed);
        Assert.Equal(OperationStatus.Succeeded, op.Status);
        Assert.Equal("""{"title":"q4","pages":9}""", op.Result?.GetRawText());
        Assert.Equal(1L, await CountOrdersAsync("o-4"));
    }

    private async Task StartHostAsync(bool runWorkers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddLonghaul(configure: o =>
        {
            o.PollInterval = TimeSpan.FromMinutes(10);
            o.RunWorkers = runWorkers;
        });
        builder.Services.AddLonghaulPostgres(new PostgresStoreOptions { ConnectionString = _connectionString, Schema = _schema });
        builder.Services.AddOperationHandler<ReportHandler>();
        _host = builder.Build();
        await _host.StartAsync(Ct);
        await using var connection = await OpenAppConnectionAsync();
        await using var create = new NpgsqlCommand($"CREATE TABLE \"{_schema}\".app_orders (id text PRIMARY KEY)", connection);
        await create.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>The app's own connection: not the store's pool, and its search path is the database's default.</summary>
    private async Task<NpgsqlConnection> OpenAppConnectionAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    private async Task InsertOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string order)
    {
        await using var insert = new NpgsqlCommand($"INSERT INTO \"{_schema}\".app_orders (id) VALUES (@id)", connection, transaction);
        insert.Parameters.AddWithValue("id", order);
        await insert.ExecuteNonQueryAsync(Ct);
    }

    private async Task<long> CountOrdersAsync(string order)
    {
        await using var connection = await OpenAppConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{_schema}\".app_orders WHERE id = @id", connection);
        count.Parameters.AddWithValue("id", order);
        return (long)(await count.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private Task<IReadOnlyList<Operation>> ClaimAsync()
        => Store.ClaimAsync(new ClaimParams("test", [ReportHandler.Name], 10, TimeSpan.FromMinutes(1)), Ct);

    private async Task<Operation> WaitUntilDoneAsync(string id, SemaphoreSlim changed)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(OutcomeTimeout);
        Operation? op = null;
        try
        {
            while (true)
            {
                op = await Starter.GetAsync(id, cancellationToken: Ct);
                if (op is { Done: true }) return op;
                await changed.WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"Operation {id} did not finish within {OutcomeTimeout}; last seen: {op?.Status}.");
            throw;
        }
    }
}
