using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>One page, newest first. <see cref="BeforeCursor"/> continues after the previous page.</summary>
public sealed record ListParams(string Tenant, OperationStatus? Status, string? Kind, int PageSize, long? BeforeCursor);
