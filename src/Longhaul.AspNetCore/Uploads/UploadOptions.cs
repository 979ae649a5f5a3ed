namespace Longhaul.AspNetCore.Uploads;

/// <summary>Resumable uploads at <c>/v1/uploads</c> (tus 1.0), bound from <c>Longhaul:Uploads</c>.</summary>
public sealed class UploadOptions
{
    /// <summary>The configuration section: <c>Longhaul:Uploads</c>.</summary>
    public const string SectionName = "Longhaul:Uploads";

    /// <summary>The largest upload accepted (<c>Tus-Max-Size</c>; 413 <c>upload_too_large</c> above it). Defaults to 10 GiB.</summary>
    public long MaxBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>How long an upload may stay unfinished before it is deleted (<c>Upload-Expires</c>). Defaults to 24 hours.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a finished upload is kept for imports. Defaults to 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Every invalid setting, one message each naming the setting; empty when all are valid. Checked at start-up.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBytes < 1) errors.Add($"{SectionName}:MaxBytes must be at least 1 (is {MaxBytes}).");
        if (Lifetime < TimeSpan.FromMinutes(1)) errors.Add($"{SectionName}:Lifetime must be at least 1 minute (is {Lifetime}).");
        if (Retention < TimeSpan.FromMinutes(1)) errors.Add($"{SectionName}:Retention must be at least 1 minute (is {Retention}).");
        return errors;
    }
}
