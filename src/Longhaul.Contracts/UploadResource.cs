namespace Longhaul.Contracts;

/// <summary>Body of <c>GET /v1/uploads/{id}</c> and of a plain <c>PUT /v1/uploads</c>: a resumable upload and how far it got.</summary>
public sealed record UploadResource
{
    /// <summary>The upload's id (<c>up_…</c>): the <c>upload</c> of an <c>import</c> operation's input.</summary>
    public required string Id { get; init; }

    /// <summary>Its URL (tus <c>HEAD</c>/<c>PATCH</c>/<c>DELETE</c>), relative to the server.</summary>
    public required string Url { get; init; }

    /// <summary>The announced length in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>Bytes stored so far.</summary>
    public required long Offset { get; init; }

    /// <summary>Every byte is stored: the upload can be imported.</summary>
    public required bool Complete { get; init; }

    /// <summary>When the server deletes it (unfinished: its lifetime; finished: its retention).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The tus <c>Upload-Metadata</c> pairs, values decoded as UTF-8 (a key without a value maps to an empty string).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
