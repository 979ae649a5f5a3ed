using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A client's delete of one of its tenant's finished operations.</summary>
/// <param name="Tenant">The caller's tenant; another tenant's operation is not found.</param>
/// <param name="Id">The operation's id.</param>
public sealed record DeleteParams(string Tenant, string Id);
