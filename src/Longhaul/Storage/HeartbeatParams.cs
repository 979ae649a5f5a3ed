using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record HeartbeatParams(string Owner, IReadOnlyList<LeaseRef> Leases, TimeSpan LeaseDuration);
