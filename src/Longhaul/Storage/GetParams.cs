using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Reads one operation; a null tenant reads across tenants (engine use only).</summary>
/// <param name="Tenant">The caller's tenant, or null across tenants.</param>
/// <param name="Id">The operation's id.</param>
public sealed record GetParams(string? Tenant, string Id);
