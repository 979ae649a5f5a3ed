using System.Diagnostics;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// Keeps the machine's cores busy: <c>count</c> child processes running <c>yes &gt; /dev/null</c>. Disposing kills
/// exactly those processes (by their own ids).
/// </summary>
internal sealed class CpuBurner : IDisposable
{
    private readonly List<Process> _processes = [];

    public CpuBurner(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec yes > /dev/null");
            _processes.Add(Process.Start(info) ?? throw new InvalidOperationException("Could not start the CPU burner."));
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill();
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
    }
}
