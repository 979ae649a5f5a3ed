using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced return to pending on shutdown; the attempt is not counted.</summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
public sealed record HandBackParams(LeaseRef Lease);
