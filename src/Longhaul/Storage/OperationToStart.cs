using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>What the API hands the store to create an operation. Timestamps come from the store's clock.</summary>
public sealed record OperationToStart(
    string Id, string Tenant, string Kind, JsonElement Input, JsonElement? Metadata, string? CallbackUrl,
    int Priority, int MaxAttempts, double? TimeoutSeconds);
