using System.Diagnostics;
using System.Text;

namespace Longhaul.Testing;

/// <summary>
/// A helper program run by a test as a child process (Prism, nginx, npm, node scripts): its stdout and stderr are
/// collected line by line into one <see cref="Output"/> (for readiness waits and assertion messages), and disposing it
/// kills whatever is still running.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<(bool Stderr, string Text)> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Found)> _waiters = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Every line the process wrote so far, stdout and stderr in the order they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_gate) return string.Join('\n', _lines.Select(l => l.Text));
        }
    }

    /// <summary>The lines the process wrote to stdout so far.</summary>
    public string Stdout => Lines(stderr: false);

    /// <summary>The lines the process wrote to stderr so far.</summary>
    public string Stderr => Lines(stderr: true);

    /// <summary>Starts <paramref name="start"/> with its stdout and stderr captured; stdin gets <paramref name="input"/>, then is closed.</summary>
    public static ChildProcess Start(ProcessStartInfo start, string? input = null)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, stderr: false, child._stdoutClosed);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, stderr: true, child._stderrClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        return child;
    }

    /// <summary>Runs <paramref name="start"/> to its end (at most <paramref name="timeout"/>): exit code and output (stdout and stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var child = Start(start);
        return (await child.WaitForExitAsync(timeout, cancellationToken), child.Output);
    }

    /// <summary>
    /// Awaits the first line (also one already written) that matches; fails with the output when the process ends
    /// first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.Any(l => match(l.Text))) return;
            _waiters.Add((match, found));
        }
        try
        {
            await Task.WhenAny(found.Task, Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task)).WaitAsync(timeout, cancellationToken);
            if (!found.Task.IsCompleted) throw new InvalidOperationException($"{Name} ended before writing the awaited line:\n{Output}");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} wrote no awaited line within {timeout.TotalSeconds} s:\n{Output}");
        }
        finally
        {
            lock (_gate) _waiters.RemoveAll(w => w.Found == found);
        }
    }

    /// <summary>Awaits the process's exit and the end of its output; fails with the output when time runs out.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds} s:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>Kills the process (and its children) if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private string Name => Path.GetFileName(_process.StartInfo.FileName);

    private string Lines(bool stderr)
    {
        lock (_gate) return string.Join('\n', _lines.Where(l => l.Stderr == stderr).Select(l => l.Text));
    }

    private void OnLine(string? line, bool stderr, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (_gate)
        {
            _lines.Add((stderr, line));
            foreach (var (match, found) in _waiters)
            {
                if (match(line)) found.TrySetResult();
            }
        }
    }
}
