namespace Longhaul.Tests.TypedKinds;

/// <summary>The test kind <c>pack</c>'s result, with the settings the attempt ran under.</summary>
public sealed record PackResult(string Label, int Items, string City, int MaxAttempts, double? TimeoutSeconds);
