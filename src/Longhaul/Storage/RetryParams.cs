using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced return to pending after a failed attempt, runnable again after <see cref="Delay"/>.</summary>
public sealed record RetryParams(LeaseRef Lease, OperationError Error, TimeSpan Delay);
