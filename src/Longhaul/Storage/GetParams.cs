using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Reads one operation; a null tenant reads across tenants (engine use only).</summary>
public sealed record GetParams(string? Tenant, string Id);
