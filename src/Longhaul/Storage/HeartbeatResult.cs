using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Leases that were not renewed (lost) and operations whose cancellation was requested.</summary>
public sealed record HeartbeatResult(IReadOnlyList<string> Lost, IReadOnlyList<string> CancelRequested);
