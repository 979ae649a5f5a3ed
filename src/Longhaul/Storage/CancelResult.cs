using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>What <see cref="IOperationStore.CancelAsync"/> did.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Operation">The operation's state after the call; null for <see cref="CancelOutcome.NotFound"/>.</param>
public sealed record CancelResult(CancelOutcome Outcome, Operation? Operation);
