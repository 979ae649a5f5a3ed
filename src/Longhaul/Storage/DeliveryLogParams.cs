namespace Longhaul.Storage;

/// <summary>The webhook deliveries of the tenant's operation <paramref name="OperationId"/>, with their attempts.</summary>
/// <param name="Tenant">The caller's tenant.</param>
/// <param name="OperationId">The operation.</param>
public sealed record DeliveryLogParams(string Tenant, string OperationId);
