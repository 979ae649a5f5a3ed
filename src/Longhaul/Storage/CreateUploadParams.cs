namespace Longhaul.Storage;

/// <summary>Stores a new, empty upload that expires <paramref name="Lifetime"/> from now (store clock) unless finished.</summary>
/// <param name="Id">A new id (<c>up_…</c>).</param>
/// <param name="Tenant">The tenant it belongs to.</param>
/// <param name="Length">The announced length in bytes (0 makes it complete at once).</param>
/// <param name="Metadata">The tus <c>Upload-Metadata</c> header as sent, or null.</param>
/// <param name="Lifetime">How long it may stay unfinished.</param>
/// <param name="Retention">How long it is kept once finished (also when <paramref name="Length"/> is 0).</param>
public sealed record CreateUploadParams(string Id, string Tenant, long Length, string? Metadata, TimeSpan Lifetime, TimeSpan Retention);
