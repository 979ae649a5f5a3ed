using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// One run of the real <c>longhaul</c> executable as a child process: its stdout and stderr are captured line by line
/// (for log-line waits and for assertion messages), it can be stopped with SIGKILL or SIGTERM, and disposing it kills
/// whatever is still running.
/// </summary>
internal sealed partial class LonghaulProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigStop = 19; // Linux numbering (x64 and arm64).
    private const int SigCont = 18;

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _disposed;
    private volatile string? _status;

    private LonghaulProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Stdout
    {
        get
        {
            lock (_gate) return string.Join('\n', _stdout);
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate) return string.Join('\n', _stderr);
        }
    }

    /// <summary>Everything the process wrote, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                var text = new StringBuilder();
                text.Append("$ ").AppendLine(CommandLine);
                text.AppendLine(Status());
                text.AppendLine("--- stdout ---");
                foreach (var line in _stdout) text.AppendLine(line);
                text.AppendLine("--- stderr ---");
                foreach (var line in _stderr) text.AppendLine(line);
                return text.ToString();
            }
        }
    }

    /// <summary>Starts <c>longhaul</c> with <paramref name="args"/>; only the given Longhaul settings reach it.</summary>
    public static LonghaulProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string workingDirectory)
        => Start(LonghaulBinary.Path, args, environment, workingDirectory);

    /// <summary>Starts the executable <paramref name="fileName"/> (e.g. a sample app) the same way: isolated environment, output captured.</summary>
    public static LonghaulProcess Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);

        // Isolation: no settings leak in from the test runner's environment.
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("Longhaul", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.Equals("DOTNET_URLS", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(key);
            }
        }
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment) info.Environment[key] = value;
        }

        var commandLine = string.Join(' ', (environment ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key}={kv.Value}")
            .Append(fileName).Concat(info.ArgumentList));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new LonghaulProcess(process, commandLine);
        process.OutputDataReceived += (_, e) => run.OnLine(e.Data, run._stdout, run._stdoutClosed);
        process.ErrorDataReceived += (_, e) => run.OnLine(e.Data, run._stderr, run._stderrClosed);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs a command to its end (bounded by <paramref name="timeout"/>) and returns the finished process.</summary>
    public static async Task<LonghaulProcess> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var run = Start(args, environment, workingDirectory);
        await run.WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <summary>Awaits the first line (stdout or stderr, also one already written) that matches; fails when the process ends first or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<string> found;
        lock (_gate)
        {
            foreach (var line in _stdout.Concat(_stderr))
            {
                if (match(line)) return line;
            }
            found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
        }
        var closed = Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task);
        try
        {
            var first = await Task.WhenAny(found.Task, closed).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (first == found.Task) return await found.Task.ConfigureAwait(false);
            if (found.Task.IsCompleted) return await found.Task.ConfigureAwait(false);
            throw new InvalidOperationException($"The process ended before writing the awaited line.\n{Output}");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No awaited line within {timeout.TotalSeconds} s.\n{Output}");
        }
        finally
        {
            lock (_gate) _waiters.RemoveAll(w => w.Found == found);
        }
    }

    /// <summary>Awaits the process's exit (and the end of its output); fails with its output when time runs out.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The process did not exit within {timeout.TotalSeconds} s.\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, without any shutdown code running.</summary>
    public void Kill()
    {
        if (HasExited) return;
        Note("test: SIGKILL");
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGTERM: asks the process to shut down gracefully.</summary>
    public void Terminate()
    {
        if (HasExited) return;
        Note("test: SIGTERM");
        if (SendSignal(_process.Id, SigTerm) != 0 && !HasExited)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>SIGSTOP: freezes the process (no code runs, its sockets stay open) until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        Note("test: SIGSTOP");
        if (SendSignal(_process.Id, SigStop) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGSTOP) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>SIGCONT: lets a paused process run again.</summary>
    public void Resume()
    {
        Note("test: SIGCONT");
        if (SendSignal(_process.Id, SigCont) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGCONT) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (!HasExited)
            {
                Kill();
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Best effort: never mask the test's own failure.
        }
        _status = Status();
        _process.Dispose();
    }

    private string Status()
    {
        if (_status is not null) return _status;
        try
        {
            return _process.HasExited ? $"(exited with {_process.ExitCode})" : $"(pid {_process.Id}, still running)";
        }
        catch (InvalidOperationException)
        {
            return "(disposed)";
        }
    }

    private void Note(string text)
    {
        lock (_gate) _stderr.Add($"[{_clock.Elapsed.TotalSeconds:F3}s] {text}");
    }

    private void OnLine(string? line, List<string> lines, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        List<TaskCompletionSource<string>> matched = [];
        lock (_gate)
        {
            lines.Add(line);
            foreach (var (match, found) in _waiters)
            {
                if (match(line)) matched.Add(found);
            }
        }
        foreach (var found in matched) found.TrySetResult(line);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
