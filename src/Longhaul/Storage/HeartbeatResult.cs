using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Leases that were not renewed (lost) and operations whose cancellation was requested.</summary>
/// <param name="Lost">Ids whose lease did not hold: their worker must stop.</param>
/// <param name="CancelRequested">Ids of renewed leases whose operation a client asked to cancel.</param>
public sealed record HeartbeatResult(IReadOnlyList<string> Lost, IReadOnlyList<string> CancelRequested);
