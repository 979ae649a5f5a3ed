using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>
/// The prefixes <c>MapLonghaul</c> mounted the API at whose requests carry Longhaul's API keys, so that
/// <see cref="LonghaulMiddleware"/> authenticates every path under them (unknown routes included) before routing, as
/// <c>longhaul serve</c> always has for <c>/v1</c>. Filled while endpoints are mapped, read-only once requests arrive.
/// </summary>
internal sealed class LonghaulApiMounts
{
    private PathString[] _keyChecked = [];

    public void AddKeyChecked(PathString prefix)
    {
        lock (this) _keyChecked = [.. _keyChecked, prefix];
    }

    public bool IsKeyChecked(PathString path)
    {
        foreach (var prefix in Volatile.Read(ref _keyChecked))
        {
            if (path.StartsWithSegments(prefix)) return true;
        }
        return false;
    }
}
