namespace Longhaul.Storage;

/// <summary>
/// Moves an upload's offset from <paramref name="From"/> to <paramref name="To"/> (staged chunks become part of it) and
/// drops every chunk at or beyond <paramref name="To"/>; refused unless the offset is <paramref name="From"/>.
/// <paramref name="To"/> = <paramref name="From"/> discards what a failed request staged.
/// </summary>
/// <param name="Tenant">The tenant the upload belongs to.</param>
/// <param name="Id">The upload's id.</param>
/// <param name="From">The offset the upload must have.</param>
/// <param name="To">Its new offset, at most its length.</param>
/// <param name="Retention">How long the upload is kept once this write finishes it.</param>
public sealed record CommitUploadParams(string Tenant, string Id, long From, long To, TimeSpan Retention);
