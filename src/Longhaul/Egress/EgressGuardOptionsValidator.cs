using System.Net;
using Microsoft.Extensions.Options;

namespace Longhaul.Egress;

/// <summary>Start-up validation of <c>Longhaul:Egress</c>; every message names the setting.</summary>
internal sealed class EgressGuardOptionsValidator : IValidateOptions<EgressGuardOptions>
{
    public ValidateOptionsResult Validate(string? name, EgressGuardOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            var cidr = options.AllowedNetworks[i];
            if (cidr is null || !cidr.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(cidr.Trim(), out _))
                errors.Add($"{EgressGuardOptions.SectionName}:AllowedNetworks:{i}: '{cidr}' is not a network in CIDR notation with no bits set past the prefix (e.g. 10.0.0.0/8, ::1/128).");
        }
        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (EgressAllowList.HostProblem(options.AllowedHosts[i]) is { } problem)
                errors.Add($"{EgressGuardOptions.SectionName}:AllowedHosts:{i}: '{options.AllowedHosts[i]}' {problem}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
