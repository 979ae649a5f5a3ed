using System.Globalization;
using System.Text;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.AspNetCore;

/// <summary>What a page token is bound to: the tenant and the list's filters (not the page size, which may change between pages).</summary>
internal readonly record struct PageTokenScope(ListParams Filter)
{
    /// <summary>
    /// An unambiguous encoding: tenant names have no control characters, and each part is length-prefixed. A list
    /// with at most one status and no time or metadata filter encodes as before those filters existed, so tokens
    /// issued earlier stay valid.
    /// </summary>
    public byte[] AssociatedData()
    {
        var tenant = Filter.Tenant;
        var status = string.Join(',', Filter.StatusSet().Order().Select(s => s.ToWire()));
        var kind = Filter.Kind ?? "\0";
        var text = new StringBuilder($"longhaul.list.v1\n{tenant.Length}:{tenant}\n{status}\n{kind.Length}:{kind}");
        if (Filter.HasScanFilter)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nafter:{Filter.CreatedAfter?.UtcTicks}\nbefore:{Filter.CreatedBefore?.UtcTicks}");
            foreach (var m in Filter.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"\nmeta:{m.Key.Length}:{m.Key}={m.Value.Length}:{m.Value}");
            }
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
