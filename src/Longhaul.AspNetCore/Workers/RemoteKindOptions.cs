namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// One remote kind, declared in configuration under <c>Longhaul:RemoteKinds:{name}</c>: its work is done by workers
/// outside the server over the worker protocol, in any language. Validated at start-up.
/// </summary>
public sealed class RemoteKindOptions
{
    /// <summary>The configuration section whose children declare the remote kinds (each child's key is the kind's name).</summary>
    public const string SectionName = "Longhaul:RemoteKinds";

    /// <summary>One line for <c>GET /v1/kinds</c>. Defaults to null.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// Path of a JSON Schema file (draft 2020-12 unless the file's <c>$schema</c> says otherwise) that every start's
    /// <c>input</c> must satisfy; a relative path is from the server's working directory. Defaults to null: any JSON
    /// object is accepted.
    /// </summary>
    public string? InputSchemaFile { get; set; }

    /// <summary>Attempts when the client sends no <c>options.max_attempts</c>. Defaults to null: <c>Longhaul:DefaultMaxAttempts</c>.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Deadline in seconds when the client sends no <c>options.timeout_seconds</c>. Defaults to null: no deadline.</summary>
    public double? TimeoutSeconds { get; set; }
}
