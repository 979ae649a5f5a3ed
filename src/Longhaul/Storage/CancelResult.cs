using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record CancelResult(CancelOutcome Outcome, Operation? Operation);
