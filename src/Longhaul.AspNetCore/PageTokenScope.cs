using System.Text;
using Longhaul.Contracts;

namespace Longhaul.AspNetCore;

/// <summary>What a page token is bound to: the tenant and the list's filters (not the page size, which may change between pages).</summary>
internal readonly record struct PageTokenScope(string Tenant, OperationStatus? Status, string? Kind)
{
    /// <summary>An unambiguous encoding: tenant names have no control characters, and each part is length-prefixed.</summary>
    public byte[] AssociatedData()
    {
        var status = Status is { } s ? s.ToWire() : "";
        var kind = Kind ?? "\0";
        return Encoding.UTF8.GetBytes($"longhaul.list.v1\n{Tenant.Length}:{Tenant}\n{status}\n{kind.Length}:{kind}");
    }
}
