using System.Collections.Concurrent;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>
/// Maps a request's bearer key to its tenant. With no keys in the store the server is in single-tenant development
/// mode (tenant <c>default</c>). Lookups are cached for a few seconds, so a key created or revoked by
/// <c>longhaul keys</c> in another process takes effect within that time.
/// </summary>
public sealed class TenantResolver(IOperationStore store, TimeProvider time)
{
    /// <summary>The tenant of every request while no API key was ever created (single-tenant development mode).</summary>
    public const string DevelopmentTenant = OperationStartOptions.DefaultTenant;
    private static readonly TimeSpan KeyCacheTtl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AnyKeysTtl = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (LonghaulCaller? Caller, DateTimeOffset Until)> _keys = new(StringComparer.Ordinal);
    private static readonly LonghaulCaller Development = new(DevelopmentTenant, null, null, null);
    private (bool Any, DateTimeOffset Until) _anyKeys;

    /// <summary>The tenant, or null when the request must be refused with 401.</summary>
    public async ValueTask<string?> ResolveAsync(HttpContext context) => (await ResolveCallerAsync(context).ConfigureAwait(false))?.Tenant;

    /// <summary>The caller (tenant, scope, kinds), or null when the request must be refused with 401.</summary>
    public async ValueTask<LonghaulCaller?> ResolveCallerAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        var now = time.GetUtcNow();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var key = header[7..].Trim();
            if (key.Length is > 0 and <= 512)
            {
                var hash = ApiKeys.Hash(key);
                if (!_keys.TryGetValue(hash, out var cached) || cached.Until < now)
                {
                    var record = await store.FindApiKeyAsync(new FindApiKeyParams(hash), context.RequestAborted).ConfigureAwait(false);
                    cached = (record is { RevokedAt: null } ? new LonghaulCaller(record.Tenant, record.Scope, record.Kinds, record.Id) : null, now + KeyCacheTtl);
                    if (_keys.Count > 10_000) _keys.Clear();
                    _keys[hash] = cached;
                }
                if (cached.Caller is not null) return cached.Caller;
            }
        }
        return await AnyKeysAsync(now, context.RequestAborted).ConfigureAwait(false) ? null : Development;
    }

    /// <summary>True once any key was ever created: revoking the last key must not turn authentication off.</summary>
    public async ValueTask<bool> AnyKeysAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var snapshot = _anyKeys;
        if (snapshot.Until >= now) return snapshot.Any;
        var keys = await store.ListApiKeysAsync(cancellationToken).ConfigureAwait(false);
        var any = keys.Count > 0;
        _anyKeys = (any, now + AnyKeysTtl);
        return any;
    }
}
