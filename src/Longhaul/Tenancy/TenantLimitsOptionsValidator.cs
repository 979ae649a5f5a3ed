using Microsoft.Extensions.Options;

namespace Longhaul.Tenancy;

/// <summary>Fails start-up with every problem in <c>Longhaul:Tenants:Defaults</c>, each naming its setting.</summary>
internal sealed class TenantLimitsOptionsValidator : IValidateOptions<TenantLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantLimitsOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
