using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record ReleaseIdempotencyParams(string Tenant, string Key);
