using System.Globalization;

namespace Longhaul.Server.ClientCommands;

/// <summary>
/// A download's progress on stderr (stdout keeps the result, or is the file): one line rewritten in place on a
/// terminal, else a line at each tenth of the file (or each 64 MiB when the length is not known).
/// </summary>
internal sealed class DownloadProgress(string name, long? expected)
{
    private const long Step = 64L << 20;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private long _next;
    private long _last = -1;
    private long? _total = expected;
    private bool _drawn;

    public void Report(long written, long? total)
    {
        _total = total ?? _total;
        if (written < _next && written != _total) return;
        _next = written + (_total is { } t and > 0 ? Math.Max(t / (_terminal ? 100 : 10), 1) : Step);
        Write(written);
    }

    /// <summary>Ends the line on a terminal.</summary>
    public void Done()
    {
        if (_drawn && _terminal) Console.Error.WriteLine();
    }

    private void Write(long written)
    {
        if (written == _last) return;
        _last = written;
        var of = _total is { } total ? $" of {total.ToString(CultureInfo.InvariantCulture)} bytes ({(total == 0 ? 100 : 100.0 * written / total).ToString("0.#", CultureInfo.InvariantCulture)} %)" : " bytes";
        var line = $"downloaded {name}: {written.ToString(CultureInfo.InvariantCulture)}{of}";
        if (_terminal) Console.Error.Write("\r" + line + "\u001b[K");
        else Console.Error.WriteLine(line);
        _drawn = true;
    }
}
