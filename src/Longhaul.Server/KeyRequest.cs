using Longhaul.AspNetCore;
using Longhaul.Storage;

namespace Longhaul.Server;

/// <summary>The options of <c>longhaul keys create</c>, checked: the key to create, or the error to print.</summary>
internal sealed record KeyRequest(string Tenant, ApiKeyScope Scope, IReadOnlyList<string>? Kinds, string? Error)
{
    public static KeyRequest Parse(string? tenant, string scope, bool allTenants, string? kinds)
    {
        KeyRequest Fail(string error) => new("", ApiKeyScope.Client, null, error);
        var parsed = scope switch
        {
            "client" => ApiKeyScope.Client,
            "worker" => ApiKeyScope.Worker,
            "operator" => ApiKeyScope.Operator,
            _ => (ApiKeyScope?)null,
        };
        if (parsed is not { } s) return Fail("--scope must be client, worker or operator.");
        if (s == ApiKeyScope.Operator)
        {
            // An operator key acts on every tenant's limits and usage, never as one tenant.
            if (tenant is not null || allTenants) return Fail("an operator key is for every tenant: give neither --tenant nor --all-tenants.");
            if (kinds is not null) return Fail("--kinds is only for worker keys (--scope worker).");
            return new KeyRequest(ApiKeyRecord.AllTenants, s, null, null);
        }
        if (allTenants && tenant is not null) return Fail("give either --tenant or --all-tenants, not both.");
        if (allTenants && s != ApiKeyScope.Worker) return Fail("--all-tenants is only for worker keys (--scope worker).");
        if (kinds is not null && s != ApiKeyScope.Worker) return Fail("--kinds is only for worker keys (--scope worker).");
        if (!allTenants && tenant is null) return Fail("--tenant is required (or --all-tenants for a worker key).");
        if (!allTenants && !ApiKeys.IsValidTenant(tenant)) return Fail("--tenant must be 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.");
        string[]? list = null;
        if (kinds is not null)
        {
            list = [.. kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
            if (list.Length == 0 || list.Any(k => k.Length > 100 || k.Any(char.IsWhiteSpace))) return Fail("--kinds must list one or more kind names, comma-separated.");
        }
        return new KeyRequest(allTenants ? ApiKeyRecord.AllTenants : tenant!, s, list, null);
    }

    /// <summary>What the key acts for, after "Created key {id} for " (the client key's wording is what scripts parse).</summary>
    public string Describe() => Scope == ApiKeyScope.Operator ? "all tenants (operator key: tenant limits and usage)" : Scope == ApiKeyScope.Client
        ? $"tenant '{Tenant}'"
        : $"{(Tenant == ApiKeyRecord.AllTenants ? "all tenants" : $"tenant '{Tenant}'")} (worker key, {(Kinds is { } k ? $"kinds {string.Join(", ", k)}" : "every remote kind")})";
}
