using System.Net.Http.Headers;

namespace Longhaul.Client;

/// <summary>One download's state across the requests of <c>DownloadCoreAsync</c>, and the caller's hooks.</summary>
internal sealed class DownloadState
{
    /// <summary>A signed link: sent without the API key.</summary>
    public bool SignedLink { get; init; }

    /// <summary>How often a broken connection is resumed before the error is the caller's.</summary>
    public int MaxResumes { get; init; } = 5;

    /// <summary>Bytes of the file the destination holds (at start: the part already there).</summary>
    public long Written { get; set; }

    /// <summary>The strong ETag of the file the bytes came from (null: not known, no resume with <c>Range</c>).</summary>
    public EntityTagHeaderValue? ETag { get; set; }

    /// <summary>The file's length the last response gave.</summary>
    public long? Total { get; set; }

    /// <summary>The byte the first 206 answer continued from; null when every answer was the whole file.</summary>
    public long? ResumedFrom { get; set; }

    /// <summary>After each response's headers, before its body: the file's ETag (to remember it for a later resume).</summary>
    public Action<EntityTagHeaderValue?>? Headers { get; init; }

    /// <summary>The file came whole again (it changed): everything written so far was discarded.</summary>
    public Action? Restarted { get; init; }

    /// <summary>Bytes written: the bytes, the total so far, the file's length when known.</summary>
    public WroteBytes? Wrote { get; init; }
}
