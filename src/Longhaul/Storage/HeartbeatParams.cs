using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Renews the leases a worker holds.</summary>
/// <param name="Owner">The worker's name (not checked: the lease epoch fences).</param>
/// <param name="Leases">The leases to renew.</param>
/// <param name="LeaseDuration">How long each renewed lease lasts from now (store clock).</param>
public sealed record HeartbeatParams(string Owner, IReadOnlyList<LeaseRef> Leases, TimeSpan LeaseDuration);
