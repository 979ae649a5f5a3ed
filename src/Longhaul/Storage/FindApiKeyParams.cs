namespace Longhaul.Storage;

/// <summary>Looks an API key up by the hash of the secret a request presented.</summary>
/// <param name="KeyHash">The hash of the presented key, made as when the key was created.</param>
public sealed record FindApiKeyParams(string KeyHash);
