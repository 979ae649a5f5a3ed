using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>The outcome of a creation; <see cref="Operation"/> is set for Created and Replayed.</summary>
public sealed record CreateResult(CreateOutcome Outcome, Operation? Operation);
