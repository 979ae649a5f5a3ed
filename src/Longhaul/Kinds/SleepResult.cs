namespace Longhaul.Kinds;

/// <summary>The result of the <c>sleep</c> kind.</summary>
/// <param name="StepsCompleted">The steps slept in all.</param>
/// <param name="ResumedFromStep">The checkpointed step this attempt started after; 0 for a fresh start.</param>
/// <param name="Attempts">The attempt that finished.</param>
public sealed record SleepResult(int StepsCompleted, int ResumedFromStep, int Attempts);
