namespace Longhaul.Egress;

/// <summary>
/// The egress guard's allow-list (<c>Longhaul:Egress</c>): destinations that the guard lets through although their
/// address is one it refuses by default (loopback, private, link-local, metadata, …). See docs/egress.md.
/// </summary>
public sealed class EgressGuardOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Longhaul:Egress";

    /// <summary>
    /// Networks in CIDR notation (<c>10.1.0.0/16</c>, <c>::1/128</c>) whose addresses are allowed. An IPv4-mapped IPv6
    /// address (<c>::ffff:10.1.2.3</c>) counts as its IPv4 address. Defaults to none.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Host names that are allowed whatever they resolve to: exact (<c>hooks.internal</c>) or one wildcard label in
    /// front (<c>*.example.com</c>, which matches <c>a.example.com</c> and <c>a.b.example.com</c>, not
    /// <c>example.com</c>). Compared case-insensitively. Defaults to none.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
