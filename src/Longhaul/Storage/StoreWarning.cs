namespace Longhaul.Storage;

/// <summary>One entry of <see cref="StoreWarnings"/>: a stable code and a message naming the numbers and the settings to change.</summary>
internal sealed record StoreWarning(string Code, string Message);
