namespace Longhaul.Storage;

/// <summary>What a redelivery request did.</summary>
public enum RedeliverOutcome
{
    /// <summary>No such delivery of the tenant's operation.</summary>
    NotFound,

    /// <summary>Due now with a new retry window (or already being sent, which counts as the redelivery).</summary>
    Scheduled,
}
