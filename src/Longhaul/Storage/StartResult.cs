using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>The outcome of a creation; <see cref="Operation"/> is set for Started and Replayed.</summary>
public sealed record StartResult(StartOutcome Outcome, Operation? Operation);
