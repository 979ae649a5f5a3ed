using System.Buffers;
using System.IO.Pipelines;

namespace Longhaul.AspNetCore;

/// <summary>
/// The connection's output as Kestrel sees it. It passes everything straight through, except after Kestrel announced a
/// rejection on this connection (<see cref="RejectionWatch"/>): then it holds what Kestrel writes up to the next flush,
/// which is the canned answer, and lets <see cref="RejectionResponse"/> give it a problem body. A capture starts only at
/// a flush boundary, so it never splits a write of the previous response.
/// </summary>
internal sealed class RejectionPipeWriter(PipeWriter inner, RejectionWatch watch) : PipeWriter
{
    private ArrayBufferWriter<byte>? _capture;
    private bool _innerUnflushed;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes + (_capture?.WrittenCount ?? 0);

    public override Memory<byte> GetMemory(int sizeHint = 0) => Capturing() ? _capture!.GetMemory(sizeHint) : inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => Capturing() ? _capture!.GetSpan(sizeHint) : inner.GetSpan(sizeHint);

    public override void Advance(int bytes)
    {
        if (_capture is not null)
        {
            _capture.Advance(bytes);
            return;
        }
        if (bytes > 0) _innerUnflushed = true;
        inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Release();
        _innerUnflushed = false;
        return inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (exception is null) Release();
        inner.Complete(exception);
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (exception is null && _capture is not null)
        {
            Release();
            await inner.FlushAsync().ConfigureAwait(false);
        }
        await inner.CompleteAsync(exception).ConfigureAwait(false);
    }

    private bool Capturing()
    {
        if (_capture is null && !_innerUnflushed && watch.Pending) _capture = new ArrayBufferWriter<byte>(512);
        return _capture is not null;
    }

    private void Release()
    {
        if (_capture is null) return;
        var captured = _capture.WrittenSpan;
        var rewritten = RejectionResponse.TryRewrite(captured, watch.Head);
        inner.Write(rewritten is null ? captured : rewritten);
        _capture = null;
        watch.Clear();
    }
}
