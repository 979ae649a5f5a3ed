using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>The outcome of a creation; <see cref="Operation"/> is set for Started and Replayed.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Operation">The started or replayed operation; null otherwise.</param>
public sealed record StartResult(StartOutcome Outcome, Operation? Operation);
