using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Store.Tests.Starter;

/// <summary>
/// <see cref="IOperationStarter"/> as an app resolves it from <c>AddLonghaul</c>, on each store (a real SQLite file, a
/// PostgreSQL schema per test): the API's rules, the kind's defaults, and idempotent starts.
/// </summary>
public abstract class OperationStarterTests : IAsyncLifetime
{
    private ServiceProvider? _services;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected IOperationStarter Starter => _services!.GetRequiredService<IOperationStarter>();

    protected IOperationStore Store => _services!.GetRequiredService<IOperationStore>();

    /// <summary>Registers the store under test.</summary>
    protected abstract void AddStore(IServiceCollection services);

    /// <summary>Removes what the store left behind (its file, its schema).</summary>
    protected abstract ValueTask CleanUpAsync();

    public async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLonghaul();
        AddStore(services);
        services.AddOperationHandler<ReportHandler>();
        _services = services.BuildServiceProvider();
        await Store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_services is not null) await _services.DisposeAsync();
        }
        finally
        {
            await CleanUpAsync();
        }
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task StartAsync_CallbackUrl_IsCheckedByTheEgressGuardAndStored()
    {
        var refused = await Assert.ThrowsAsync<OperationValidationException>(() => Starter.StartAsync(
            ReportHandler.Name, new ReportInput("t", 1), new OperationStartOptions { CallbackUrl = "http://127.0.0.1/hook" }, Ct));
        var started = await Starter.StartAsync(ReportHandler.Name, new ReportInput("t", 1), new OperationStartOptions { CallbackUrl = "https://93.184.216.34/hook" }, Ct);

        Assert.Contains("loopback", refused.Errors["callback_url"][0], StringComparison.Ordinal);
        Assert.Equal("https://93.184.216.34/hook", started.Operation.CallbackUrl);
    }

    [Fact]
    public async Task StartAsync_SchedulingOptions_AreCheckedAndStored()
    {
        var now = DateTimeOffset.UtcNow;
        var refused = await Assert.ThrowsAsync<OperationValidationException>(() => Starter.StartAsync(ReportHandler.Name, new ReportInput("t", 1),
            new OperationStartOptions { StartBy = now.AddMinutes(-1), ConcurrencyLimit = 2 }, Ct));
        var started = await Starter.StartAsync(ReportHandler.Name, new ReportInput("t", 1), new OperationStartOptions
        {
            StartAfter = now.AddMinutes(10), StartBy = now.AddMinutes(20), ConcurrencyKey = "account-7",
        }, Ct);

        Assert.Equal(["options.concurrency_limit", "options.start_by"], refused.Errors.Keys.Order(StringComparer.Ordinal));
        var stored = await Store.GetAsync(new GetParams(OperationStartOptions.DefaultTenant, started.Operation.Id), Ct);
        Assert.Equal("account-7", stored!.ConcurrencyKey);
        Assert.Equal(1, stored.ConcurrencyLimit);
        Assert.Equal(now.AddMinutes(20).ToUnixTimeMilliseconds(), stored.StartBy!.Value.ToUnixTimeMilliseconds());
        Assert.True(stored.RunAfter > now.AddMinutes(9), $"run_after {stored.RunAfter}");
    }

    [Fact]
    public async Task StartAsync_UnknownKind_ThrowsValidationErrorOnKind()
    {
        var error = await Assert.ThrowsAsync<OperationValidationException>(() => Starter.StartAsync("no_such_kind", null, cancellationToken: Ct));

        Assert.Equal(["kind"], error.Errors.Keys);
        Assert.Contains("unknown kind 'no_such_kind'", error.Errors["kind"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BadInputAndOptions_ThrowsEveryErrorByItsField()
    {
        var error = await Assert.ThrowsAsync<OperationValidationException>(() => Starter.StartAsync(
            ReportHandler.Name, new ReportInput("q3", 0), new OperationStartOptions { MaxAttempts = 0, Priority = 101, Metadata = 5 }, Ct));

        Assert.Equal(["input.pages", "metadata", "options.max_attempts", "options.priority"], error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("input.pages", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.ClaimAsync(new ClaimParams("test", [ReportHandler.Name], 10, TimeSpan.FromMinutes(1)), Ct));
    }

    [Fact]
    public async Task StartAsync_NoOptions_AppliesTheKindsDefaultsInTheDefaultTenant()
    {
        var started = await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 12), cancellationToken: Ct);

        Assert.False(started.Replayed);
        var op = started.Operation;
        Assert.Equal((OperationStartOptions.DefaultTenant, ReportHandler.Name, OperationStatus.Pending), (op.Tenant, op.Kind, op.Status));
        Assert.Equal((4, 300.0, 0), (op.MaxAttempts, op.TimeoutSeconds, op.Priority));
        Assert.Equal("""{"title":"q3","pages":12}""", op.Input.GetRawText());
        var read = await Starter.GetAsync(op.Id, cancellationToken: Ct);
        Assert.Equal(op.Id, read?.Id);
        Assert.Null(await Starter.GetAsync(op.Id, "another-tenant", Ct));
    }

    [Fact]
    public async Task StartAsync_OptionsGiven_OverrideTheKindsDefaults()
    {
        var options = new OperationStartOptions { Tenant = "acme", MaxAttempts = 2, TimeoutSeconds = 60, Priority = 5, Metadata = new { Order = "o-1" } };

        var op = (await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 12), options, Ct)).Operation;

        Assert.Equal(("acme", 2, 60.0, 5), (op.Tenant, op.MaxAttempts, op.TimeoutSeconds, op.Priority));
        Assert.Equal("""{"order":"o-1"}""", op.Metadata?.GetRawText());
        Assert.Equal(op.Id, (await Starter.GetAsync(op.Id, "acme", Ct))?.Id);
    }

    [Fact]
    public async Task StartAsync_SameKeyAndSameStart_ReplaysTheOperation()
    {
        var options = new OperationStartOptions { IdempotencyKey = "order-17" };
        var first = await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 12), options, Ct);

        var again = await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 12), options, Ct);

        Assert.True(again.Replayed);
        Assert.Equal(first.Operation.Id, again.Operation.Id);
        Assert.Single(await Store.ClaimAsync(new ClaimParams("test", [ReportHandler.Name], 10, TimeSpan.FromMinutes(1)), Ct));
    }

    [Fact]
    public async Task StartAsync_SameKeyAndAnotherInput_ThrowsKeyReused()
    {
        await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 12), new OperationStartOptions { IdempotencyKey = "order-17" }, Ct);

        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 13), new OperationStartOptions { IdempotencyKey = "order-17" }, Ct));
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 12), new OperationStartOptions { IdempotencyKey = "order-17", Priority = 1 }, Ct));
    }

    [Fact]
    public async Task StartAsync_NullInput_IsCheckedAsAnEmptyObject()
    {
        var error = await Assert.ThrowsAsync<OperationValidationException>(() => Starter.StartAsync(ReportHandler.Name, null, cancellationToken: Ct));

        Assert.NotEmpty(error.Errors);
        Assert.All(error.Errors.Keys, key => Assert.StartsWith("input", key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_SameKeyInAnotherTenant_StartsAnotherOperation()
    {
        var a = await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 1), new OperationStartOptions { IdempotencyKey = "k", Tenant = "a" }, Ct);
        var b = await Starter.StartAsync(ReportHandler.Name, new ReportInput("q3", 1), new OperationStartOptions { IdempotencyKey = "k", Tenant = "b" }, Ct);

        Assert.False(b.Replayed);
        Assert.NotEqual(a.Operation.Id, b.Operation.Id);
    }
}
