using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record DeleteParams(string Tenant, string Id);
