using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A client's cancel of one of its tenant's operations.</summary>
/// <param name="Tenant">The caller's tenant; another tenant's operation is not found.</param>
/// <param name="Id">The operation's id.</param>
public sealed record CancelParams(string Tenant, string Id);
