using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>What one reaper sweep did.</summary>
/// <param name="Requeued">Orphans returned to pending.</param>
/// <param name="Failed">Operations failed for a lost worker or a passed deadline.</param>
public sealed record ReapResult(int Requeued, int Failed);
