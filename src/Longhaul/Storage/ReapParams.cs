using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Maintenance: expired leases back to pending (or failed when attempts are spent), deadlines enforced.</summary>
/// <param name="AllLeasesOf">When set, every running operation is treated as orphaned (single-owner stores on start-up).</param>
public sealed record ReapParams(bool AllLeasesOf = false);
