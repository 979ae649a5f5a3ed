using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>The handler reported progress.</summary>
/// <param name="Id">Its log position.</param>
/// <param name="Progress">The progress.</param>
/// <param name="EstimatedCompletion">The expected finish the server derived from the rate of progress; null when unknown.</param>
public sealed record OperationProgressEvent(long Id, ProgressInfo Progress, DateTimeOffset? EstimatedCompletion) : OperationEvent(Id);
