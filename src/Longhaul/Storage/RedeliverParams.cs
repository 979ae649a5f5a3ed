namespace Longhaul.Storage;

/// <summary>Sends the tenant's delivery <paramref name="DeliveryId"/> of <paramref name="OperationId"/> again.</summary>
/// <param name="Tenant">The caller's tenant.</param>
/// <param name="OperationId">The operation.</param>
/// <param name="DeliveryId">The delivery (its <c>webhook-id</c>).</param>
public sealed record RedeliverParams(string Tenant, string OperationId, string DeliveryId);
