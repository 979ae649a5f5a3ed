namespace Longhaul.AspNetCore.Admission;

/// <summary>Failed authentication attempts per client address, bound from <c>Longhaul:Http:AuthFailures</c>.</summary>
public sealed class AuthFailureOptions
{
    /// <summary>The configuration section these settings bind from.</summary>
    public const string SectionName = "Longhaul:Http:AuthFailures";

    /// <summary>
    /// Requests with a wrong API key one client address may make per <see cref="Window"/>; past it, every request from
    /// that address that sends a key answers 429 <c>auth_rate_limited</c> until the window ends. 0 turns the check off.
    /// Defaults to 20.
    /// </summary>
    public int MaxFailures { get; set; } = 20;

    /// <summary>The window the failures are counted in, from the first failure. Defaults to 60 seconds.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Every invalid setting, one message each naming the setting; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxFailures < 0) errors.Add($"{SectionName}:MaxFailures must be 0 (off) or more.");
        if (Window <= TimeSpan.Zero || Window > TimeSpan.FromDays(1)) errors.Add($"{SectionName}:Window must be positive and at most a day.");
        return errors;
    }
}
