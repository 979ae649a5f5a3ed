using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Testing;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>
/// The behaviour every <see cref="IOperationStore"/> keeps, written against the interface only. A store's test class
/// derives from this one and supplies <see cref="CreateStoreAsync"/>; a store whose clock cannot be a
/// <see cref="ManualTimeProvider"/> overrides <see cref="AdvanceAsync"/> with its own notion of moving time.
/// </summary>
public abstract partial class OperationStoreConformanceTests : IAsyncLifetime
{
    protected const string Tenant = "tenant-a";
    protected const string OtherTenant = "tenant-b";
    protected const string Kind = "work";
    protected const string OwnerA = "node-a";
    protected const string OwnerB = "node-b";

    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>How long a test waits for a notification that a store may publish asynchronously.</summary>
    protected static readonly TimeSpan NotificationTimeout = TimeSpan.FromSeconds(10);

    private IOperationStore? _store;
    private IStoreNotifier? _notifier;

    protected ManualTimeProvider Clock { get; } = new();

    protected IOperationStore Store => _store ?? throw new InvalidOperationException("The store is not created yet.");

    protected IStoreNotifier Notifier => _notifier ?? throw new InvalidOperationException("The notifier is not created yet.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh, migrated, empty store whose clock is <paramref name="clock"/> and which publishes to <paramref name="notifier"/>.</summary>
    protected abstract Task<IOperationStore> CreateStoreAsync(TimeProvider clock, IStoreNotifier notifier);

    /// <summary>Releases the store and whatever backs it (files, schemas).</summary>
    protected abstract ValueTask DisposeStoreAsync(IOperationStore store);

    /// <summary>The notifier handed to the store; stores with their own wake-up transport override this.</summary>
    protected virtual IStoreNotifier CreateNotifier() => new InProcessStoreNotifier();

    /// <summary>Moves the store's clock forward.</summary>
    protected virtual Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        return Task.CompletedTask;
    }

    public async ValueTask InitializeAsync()
    {
        _notifier = CreateNotifier();
        _store = await CreateStoreAsync(Clock, _notifier);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await DisposeStoreAsync(_store);
        GC.SuppressFinalize(this);
    }

    protected static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    protected OperationToStart NewOp(
        string tenant = Tenant, string kind = Kind, int priority = 0, int maxAttempts = 3, double? timeoutSeconds = null,
        string input = """{"n":1}""", string? metadata = null)
        => new(OperationIds.New(Clock), tenant, kind, Json(input), metadata is null ? null : Json(metadata), null, priority, maxAttempts, timeoutSeconds);

    protected async Task<Operation> StartOperationAsync(OperationToStart op, IdempotencyClaim? key = null)
    {
        var created = await Store.StartAsync(new StartParams(op, key), Ct);
        Assert.Equal(StartOutcome.Started, created.Outcome);
        Assert.NotNull(created.Operation);
        return created.Operation;
    }

    protected Task<Operation> StartOperationAsync(string tenant = Tenant, string kind = Kind, int priority = 0, int maxAttempts = 3, double? timeoutSeconds = null)
        => StartOperationAsync(NewOp(tenant, kind, priority, maxAttempts, timeoutSeconds));

    protected Task<IReadOnlyList<Operation>> ClaimAsync(string owner = OwnerA, int max = 10, params string[] kinds)
        => Store.ClaimAsync(new ClaimParams(owner, kinds.Length == 0 ? [Kind] : kinds, max, Lease), Ct);

    /// <summary>Claims exactly one operation and checks it is <paramref name="expectedId"/>.</summary>
    protected async Task<Operation> ClaimOneAsync(string expectedId, string owner = OwnerA)
    {
        var claimed = await ClaimAsync(owner, max: 1);
        var op = Assert.Single(claimed);
        Assert.Equal(expectedId, op.Id);
        return op;
    }

    /// <summary>Priority of the operations the helpers below claim at once, so that other pending work is not taken.</summary>
    private const int ClaimedAtOnce = 1_000;

    /// <summary>Creates an operation and claims it (leaving other pending operations pending).</summary>
    protected async Task<Operation> CreateRunningAsync(int maxAttempts = 3, string owner = OwnerA, string tenant = Tenant, double? timeoutSeconds = null)
    {
        var op = await StartOperationAsync(tenant: tenant, maxAttempts: maxAttempts, priority: ClaimedAtOnce, timeoutSeconds: timeoutSeconds);
        return await ClaimOneAsync(op.Id, owner);
    }

    /// <summary>Creates an operation, claims it and completes it as succeeded.</summary>
    protected async Task<Operation> CreateSucceededAsync(string tenant = Tenant, IdempotencyClaim? key = null)
    {
        var op = await StartOperationAsync(NewOp(tenant, priority: ClaimedAtOnce), key);
        var running = await ClaimOneAsync(op.Id);
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, Json("""{"ok":true}"""), null), Ct));
        return await GetAsync(op.Id);
    }

    protected static LeaseRef LeaseOf(Operation op) => new(op.Id, op.LeaseEpoch);

    protected async Task<Operation> GetAsync(string id)
    {
        var op = await Store.GetAsync(new GetParams(null, id), Ct);
        Assert.NotNull(op);
        return op;
    }

    protected Task<IReadOnlyList<OperationEvent>> EventsAsync(string id, long afterSeq = 0)
        => Store.ReadEventsAsync(new ReadEventsParams(id, afterSeq, 1000), Ct);

    protected async Task<OperationSnapshot> SnapshotAsync(string id)
        => OperationSnapshot.Of(await GetAsync(id), await EventsAsync(id));

    protected static string? StatusOf(OperationEvent e) => e.Data?.GetProperty("status").GetString();

    /// <summary>Asserts the log ends with the final <c>status</c> event (naming <paramref name="status"/>) and then <c>done</c>.</summary>
    protected static void AssertEndsWithStatusThenDone(IReadOnlyList<OperationEvent> events, OperationStatus status)
    {
        Assert.True(events.Count >= 2, $"expected at least 2 events, got {events.Count}");
        var last = events[^1];
        var beforeLast = events[^2];
        Assert.Equal(EventTypes.Status, beforeLast.Type);
        Assert.Equal(status.ToWire(), StatusOf(beforeLast));
        Assert.Equal(EventTypes.Done, last.Type);
        Assert.Equal(beforeLast.Seq + 1, last.Seq);
    }

    protected static void AssertGapFree(IReadOnlyList<OperationEvent> events, long firstSeq = 1)
        => Assert.Equal(Enumerable.Range(0, events.Count).Select(i => firstSeq + i), events.Select(e => e.Seq));
}
