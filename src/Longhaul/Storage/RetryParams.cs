using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced return to pending after a failed attempt, runnable again after <see cref="Delay"/>.</summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
/// <param name="Error">The failed attempt's error, stored on the operation.</param>
/// <param name="Delay">How long from now (store clock) before it can be claimed again.</param>
public sealed record RetryParams(LeaseRef Lease, OperationError Error, TimeSpan Delay);
