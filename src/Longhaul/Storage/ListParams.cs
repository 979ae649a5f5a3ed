using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>One page, newest first. <see cref="BeforeCursor"/> continues after the previous page.</summary>
/// <param name="Tenant">Only this tenant's operations.</param>
/// <param name="Status">Only operations in this status, when set.</param>
/// <param name="Kind">Only operations of this kind, when set.</param>
/// <param name="PageSize">At most this many operations.</param>
/// <param name="BeforeCursor">The previous page's <see cref="ListResult.NextCursor"/>; null for the first page.</param>
public sealed record ListParams(string Tenant, OperationStatus? Status, string? Kind, int PageSize, long? BeforeCursor);
