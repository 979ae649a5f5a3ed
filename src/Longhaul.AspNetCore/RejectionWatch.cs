namespace Longhaul.AspNetCore;

/// <summary>
/// One connection's note that Kestrel has rejected its current request and is about to write its canned answer. Set on
/// the connection's own processing path (Kestrel's <c>BadRequest</c> diagnostic event), read by its output writer.
/// </summary>
internal sealed class RejectionWatch
{
    private volatile bool _pending;
    private volatile bool _head;

    public bool Pending => _pending;

    /// <summary>True when the rejected request was a HEAD: its answer must stay without a body.</summary>
    public bool Head => _head;

    public void Expect(bool head)
    {
        _head = head;
        _pending = true;
    }

    public void Clear() => _pending = false;
}
