using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    private const string CallbackUrl = "https://hooks.example.com/done";
    private static readonly TimeSpan DeliveryLease = TimeSpan.FromSeconds(60);

    private async Task<Operation> CreateRunningWithCallbackAsync(int maxAttempts = 3, string tenant = Tenant)
    {
        var op = await StartOperationAsync(NewOp(tenant, priority: 1_000, maxAttempts: maxAttempts) with { CallbackUrl = CallbackUrl });
        return await ClaimOneAsync(op.Id);
    }

    private Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(string owner = OwnerA, int max = 10)
        => Store.ClaimDeliveriesAsync(new ClaimDeliveriesParams(owner, max, DeliveryLease), Ct);

    private async Task<DeliveryLog> LogAsync(string operationId, string tenant = Tenant)
    {
        var log = await Store.ReadDeliveryLogAsync(new DeliveryLogParams(tenant, operationId), Ct);
        Assert.NotNull(log);
        return log;
    }

    private static DeliveryAttemptParams Attempt(WebhookDelivery d, WebhookDeliveryStatus outcome, int? code = 500, TimeSpan? delay = null, TimeSpan? window = null)
        => new(d.Id, d.LeaseEpoch, DateTimeOffset.UnixEpoch.AddDays(20_000), 12, code, code is null ? "timeout" : null, outcome,
            delay ?? TimeSpan.FromSeconds(10), window ?? TimeSpan.FromHours(24));

    [Fact]
    public async Task CompleteAsync_WithCallbackUrl_StoresTheDeliveryWithTheFinalState()
    {
        var running = await CreateRunningWithCallbackAsync();

        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, Json("{}"), null), Ct));

        var delivery = Assert.Single((await LogAsync(running.Id)).Deliveries);
        Assert.Equal(WebhookDelivery.IdFor(running.Id), delivery.Id);
        Assert.Equal(CallbackUrl, delivery.Url);
        Assert.Equal("operation.succeeded", delivery.EventType);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal(Tenant, delivery.Tenant);
        var claimed = Assert.Single(await ClaimDeliveriesAsync());
        Assert.Equal(delivery.Id, claimed.Id);
    }

    [Fact]
    public async Task CompleteAsync_WithoutCallbackUrl_StoresNoDelivery()
    {
        var succeeded = await CreateSucceededAsync();

        Assert.Empty((await LogAsync(succeeded.Id)).Deliveries);
        Assert.Empty(await ClaimDeliveriesAsync());
    }

    [Fact]
    public async Task CompleteAsync_StaleEpoch_StoresNoDelivery()
    {
        var running = await CreateRunningWithCallbackAsync();
        var stale = new LeaseRef(running.Id, running.LeaseEpoch - 1);

        Assert.False(await Store.CompleteAsync(new CompleteParams(stale, OperationStatus.Failed, null, new OperationError { Code = "x", Message = "x" }), Ct));

        Assert.Empty((await LogAsync(running.Id)).Deliveries);
    }

    [Fact]
    public async Task CompleteAsync_ManyAtOnce_EachGetsOneDelivery()
    {
        var running = new List<Operation>();
        for (var i = 0; i < 12; i++) running.Add(await CreateRunningWithCallbackAsync());

        var written = await Task.WhenAll(running.Select(r => Store.CompleteAsync(new CompleteParams(LeaseOf(r), OperationStatus.Failed, null, OperationErrors.WorkerLost), Ct)));

        Assert.All(written, Assert.True);
        var claimed = await ClaimDeliveriesAsync(max: 100);
        Assert.Equal(running.Select(r => WebhookDelivery.IdFor(r.Id)).Order(), claimed.Select(d => d.Id).Order());
        Assert.All(claimed, d => Assert.Equal("operation.failed", d.EventType));
    }

    [Fact]
    public async Task CancelAsync_PendingWithCallbackUrl_StoresCancelledDelivery()
    {
        var op = await StartOperationAsync(NewOp() with { CallbackUrl = CallbackUrl });

        Assert.Equal(CancelOutcome.Cancelled, (await Store.CancelAsync(new CancelParams(Tenant, op.Id), Ct)).Outcome);

        Assert.Equal("operation.cancelled", Assert.Single((await LogAsync(op.Id)).Deliveries).EventType);
    }

    [Fact]
    public async Task ReapAsync_OrphanWithNoAttemptsLeft_StoresFailedDelivery()
    {
        var running = await CreateRunningWithCallbackAsync(maxAttempts: 1);
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));

        await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Equal("operation.failed", Assert.Single((await LogAsync(running.Id)).Deliveries).EventType);
    }

    [Fact]
    public async Task ClaimDeliveriesAsync_Claimed_IsNotClaimedAgainUntilItsLeaseExpires()
    {
        var running = await CreateRunningWithCallbackAsync();
        await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct);
        var first = Assert.Single(await ClaimDeliveriesAsync(OwnerA));

        Assert.Empty(await ClaimDeliveriesAsync(OwnerB));
        await AdvanceAsync(DeliveryLease + TimeSpan.FromSeconds(1));
        var second = Assert.Single(await ClaimDeliveriesAsync(OwnerB));

        Assert.Equal(first.Id, second.Id);
        Assert.True(second.LeaseEpoch > first.LeaseEpoch);
        Assert.Equal(OwnerB, second.LeaseOwner);
        Assert.False(await Store.RecordDeliveryAttemptAsync(Attempt(first, WebhookDeliveryStatus.Delivered, 200), Ct));
        Assert.True(await Store.RecordDeliveryAttemptAsync(Attempt(second, WebhookDeliveryStatus.Delivered, 200), Ct));
        var log = await LogAsync(running.Id);
        Assert.Equal(WebhookDeliveryStatus.Delivered, Assert.Single(log.Deliveries).Status);
        var attempt = Assert.Single(log.Attempts);
        Assert.Equal((1, 200, WebhookDeliveryStatus.Delivered), (attempt.Attempt, attempt.StatusCode, attempt.Outcome));
    }

    [Fact]
    public async Task ClaimDeliveriesAsync_LeasesExpiringBefore_TakesOnlyLeasesThatEndBeforeIt()
    {
        var running = await CreateRunningWithCallbackAsync();
        await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct);
        var first = Assert.Single(await ClaimDeliveriesAsync(OwnerA));
        var now = Clock.GetUtcNow();

        var early = await Store.ClaimDeliveriesAsync(new ClaimDeliveriesParams(OwnerB, 10, DeliveryLease, now + DeliveryLease - TimeSpan.FromSeconds(1)), Ct);
        var late = await Store.ClaimDeliveriesAsync(new ClaimDeliveriesParams(OwnerB, 10, DeliveryLease, now + DeliveryLease + TimeSpan.FromSeconds(1)), Ct);

        Assert.Empty(early);
        Assert.Equal(first.Id, Assert.Single(late).Id);
        Assert.Equal(first.LeaseEpoch + 1, late[0].LeaseEpoch);
    }

    [Fact]
    public async Task RecordDeliveryAttemptAsync_Retry_IsDueAfterTheDelayAndFailsPastTheWindow()
    {
        var running = await CreateRunningWithCallbackAsync();
        await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct);
        var window = TimeSpan.FromMinutes(1);

        var claimed = Assert.Single(await ClaimDeliveriesAsync());
        Assert.True(await Store.RecordDeliveryAttemptAsync(Attempt(claimed, WebhookDeliveryStatus.Pending, 503, TimeSpan.FromSeconds(30), window), Ct));
        Assert.Empty(await ClaimDeliveriesAsync());
        await AdvanceAsync(TimeSpan.FromSeconds(31));
        claimed = Assert.Single(await ClaimDeliveriesAsync());
        Assert.True(await Store.RecordDeliveryAttemptAsync(Attempt(claimed, WebhookDeliveryStatus.Pending, null, TimeSpan.FromSeconds(40), window), Ct));

        var log = await LogAsync(running.Id);
        Assert.Equal(WebhookDeliveryStatus.Failed, Assert.Single(log.Deliveries).Status);
        Assert.Equal([1, 2], log.Attempts.Select(a => a.Attempt));
        Assert.Equal(WebhookDeliveryStatus.Pending, log.Attempts[0].Outcome);
        Assert.NotNull(log.Attempts[0].NextAttemptAt);
        Assert.Equal(WebhookDeliveryStatus.Failed, log.Attempts[1].Outcome);
        Assert.Equal("timeout", log.Attempts[1].Error);
        Assert.Empty(await ClaimDeliveriesAsync());
    }

    [Fact]
    public async Task RedeliverAsync_Delivered_IsDueAgainWithTheSameIdAndOtherTenantsSeeNothing()
    {
        var running = await CreateRunningWithCallbackAsync();
        await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct);
        var claimed = Assert.Single(await ClaimDeliveriesAsync());
        await Store.RecordDeliveryAttemptAsync(Attempt(claimed, WebhookDeliveryStatus.Gone, 410), Ct);

        Assert.Equal(RedeliverOutcome.NotFound, await Store.RedeliverAsync(new RedeliverParams(OtherTenant, running.Id, claimed.Id), Ct));
        Assert.Null(await Store.ReadDeliveryLogAsync(new DeliveryLogParams(OtherTenant, running.Id), Ct));
        Assert.Equal(RedeliverOutcome.Scheduled, await Store.RedeliverAsync(new RedeliverParams(Tenant, running.Id, claimed.Id), Ct));

        var again = Assert.Single(await ClaimDeliveriesAsync());
        Assert.Equal(claimed.Id, again.Id);
        Assert.True(await Store.RecordDeliveryAttemptAsync(Attempt(again, WebhookDeliveryStatus.Delivered, 204), Ct));
        Assert.Equal([1, 2], (await LogAsync(running.Id)).Attempts.Select(a => a.Attempt));
    }

    [Fact]
    public async Task DeleteAsync_WithDelivery_ForgetsTheDeliveryToo()
    {
        var running = await CreateRunningWithCallbackAsync();
        await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct);

        Assert.Equal(DeleteOutcome.Deleted, await Store.DeleteAsync(new DeleteParams(Tenant, running.Id), Ct));

        Assert.Empty(await ClaimDeliveriesAsync());
    }

    [Fact]
    public async Task GetWebhookSecretsAsync_FirstUse_StoresTheCandidateOnce()
    {
        var first = await Store.GetWebhookSecretsAsync(new WebhookSecretsParams(Tenant, "whsec_first"), Ct);
        var again = await Store.GetWebhookSecretsAsync(new WebhookSecretsParams(Tenant, "whsec_second"), Ct);
        var other = await Store.GetWebhookSecretsAsync(new WebhookSecretsParams(OtherTenant, "whsec_other"), Ct);

        Assert.Equal("whsec_first", Assert.Single(first).Secret);
        Assert.Equal("whsec_first", Assert.Single(again).Secret);
        Assert.Equal("whsec_other", Assert.Single(other).Secret);
    }

    [Fact]
    public async Task RotateWebhookSecretAsync_WithOverlap_SignsWithBothUntilTheOverlapEnds()
    {
        await Store.GetWebhookSecretsAsync(new WebhookSecretsParams(Tenant, "whsec_old"), Ct);

        var rotated = await Store.RotateWebhookSecretAsync(new RotateWebhookSecretParams(Tenant, "whsec_new", TimeSpan.FromHours(1)), Ct);

        Assert.Equal(["whsec_new", "whsec_old"], rotated.Select(s => s.Secret));
        Assert.Null(rotated[0].ExpiresAt);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromHours(1), rotated[1].ExpiresAt);
        await AdvanceAsync(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var after = await Store.GetWebhookSecretsAsync(new WebhookSecretsParams(Tenant, "whsec_unused"), Ct);
        Assert.Equal("whsec_new", Assert.Single(after).Secret);
        await Store.RotateWebhookSecretAsync(new RotateWebhookSecretParams(Tenant, "whsec_third", TimeSpan.FromHours(1)), Ct);
        var immediate = await Store.RotateWebhookSecretAsync(new RotateWebhookSecretParams(Tenant, "whsec_fourth", TimeSpan.Zero), Ct);
        Assert.Equal("whsec_fourth", Assert.Single(immediate).Secret);
    }
}
