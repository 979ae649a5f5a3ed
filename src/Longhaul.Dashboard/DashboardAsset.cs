namespace Longhaul.Dashboard;

/// <summary>One embedded dashboard file.</summary>
/// <param name="Bytes">Its content.</param>
/// <param name="ContentType">Its <c>Content-Type</c>.</param>
/// <param name="ETag">A strong ETag from its hash.</param>
internal sealed record DashboardAsset(byte[] Bytes, string ContentType, string ETag);
