using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record CancelParams(string Tenant, string Id);
