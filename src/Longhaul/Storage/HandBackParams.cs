using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced return to pending on shutdown; the attempt is not counted.</summary>
public sealed record HandBackParams(LeaseRef Lease);
