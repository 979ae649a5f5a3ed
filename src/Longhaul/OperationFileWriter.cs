using Longhaul.Execution;

namespace Longhaul;

/// <summary>
/// Writes one file of the running operation through the store, a chunk at a time, so that any node can serve it at
/// <see cref="Url"/> (<c>GET /v1/operations/{id}/files/{name}</c>, under <see cref="LonghaulEngineOptions.ApiPath"/>) once <see cref="FinishAsync"/> returned. Every write
/// is fenced by the attempt's lease like any other worker write: a stale worker gets <see cref="LeaseLostException"/>.
/// Writing the file again (a new writer of the same name) replaces it.
/// </summary>
public sealed class OperationFileWriter
{
    /// <summary>Bytes per stored chunk: the most a writer (and a reader serving the file) holds in memory.</summary>
    public const int ChunkBytes = 1024 * 1024;

    private readonly RunningOperation _run;
    private byte[]? _buffer;
    private int _filled;
    private int _chunks;
    private bool _finished;

    internal OperationFileWriter(RunningOperation run, string name, string contentType)
    {
        _run = run;
        Name = name;
        ContentType = contentType;
    }

    /// <summary>A writer that continues after <paramref name="keptChunks"/> stored chunks and <paramref name="tail"/> (the start of the next chunk).</summary>
    internal OperationFileWriter(RunningOperation run, string name, string contentType, int keptChunks, ReadOnlySpan<byte> tail)
        : this(run, name, contentType)
    {
        _chunks = keptChunks;
        if (!tail.IsEmpty)
        {
            _buffer = new byte[ChunkBytes];
            tail.CopyTo(_buffer);
            _filled = tail.Length;
        }
        Length = (long)keptChunks * ChunkBytes + tail.Length;
        StoredLength = (long)keptChunks * ChunkBytes;
    }

    /// <summary>The file name: lower-case letters, digits, '.', '-' and '_'.</summary>
    public string Name { get; }

    /// <summary>The <c>Content-Type</c> the file is served with.</summary>
    public string ContentType { get; }

    /// <summary>Bytes written so far.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Bytes durably stored so far: the full chunks written (a multiple of <see cref="ChunkBytes"/>), then
    /// <see cref="Length"/> once <see cref="FinishAsync"/> returned. A checkpoint may promise what is stored, never more.
    /// </summary>
    public long StoredLength { get; private set; }

    /// <summary>Where the API serves the file, relative to the server's base address.</summary>
    public string Url => OperationFiles.Url(_run.Operation.Id, Name, _run.ApiPath);

    /// <summary>Appends <paramref name="data"/>, storing each full chunk as it fills; throws <see cref="LeaseLostException"/> when fenced off and <see cref="ObjectDisposedException"/> after <see cref="FinishAsync"/>.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!data.IsEmpty)
        {
            _buffer ??= new byte[ChunkBytes];
            var take = Math.Min(data.Length, ChunkBytes - _filled);
            data.Span[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            Length += take;
            data = data[take..];
            if (_filled == ChunkBytes) await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores the last chunk and makes the file readable.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        // An empty file still gets its chunk 0, which also drops whatever an earlier writer of this name left.
        if (_filled > 0 || _chunks == 0) await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _run.FinishFileAsync(Name, ContentType, Length, _chunks, cancellationToken).ConfigureAwait(false);
        StoredLength = Length;
        _finished = true;
        _buffer = null;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _run.WriteFileChunkAsync(Name, _chunks, _buffer.AsMemory(0, _filled), cancellationToken).ConfigureAwait(false);
        _chunks++;
        StoredLength += _filled;
        _filled = 0;
    }
}
