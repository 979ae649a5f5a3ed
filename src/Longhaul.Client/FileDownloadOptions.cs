namespace Longhaul.Client;

/// <summary>How <see cref="LonghaulClient.DownloadFileAsync(string, string, FileDownloadOptions?, CancellationToken)"/> fetches and checks a file.</summary>
public sealed record FileDownloadOptions
{
    /// <summary>The URL is a signed link (an export's <c>download_url</c>): sent without the API key, and it may be on another host.</summary>
    public bool SignedLink { get; init; }

    /// <summary>The file's length as the operation's result gives it; a download of another length fails verification.</summary>
    public long? ExpectedBytes { get; init; }

    /// <summary>The file's SHA-256 (hex) as the operation's result gives it; a download with another hash fails verification.</summary>
    public string? ExpectedSha256 { get; init; }

    /// <summary>Replace a file already at the destination path (otherwise that is an <see cref="IOException"/> before any request).</summary>
    public bool Overwrite { get; init; }

    /// <summary>How often a broken connection is resumed within this call (default 5).</summary>
    public int MaxResumes { get; init; } = 5;

    /// <summary>Called after each piece written: the bytes of the file held so far, and its length when the server gave it.</summary>
    public Action<long, long?>? Progress { get; init; }
}
