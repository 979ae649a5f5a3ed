using System.Diagnostics;

namespace Longhaul.Tests.Export;

/// <summary>
/// Parses an exported file with Python's own <c>csv</c>/<c>json</c>/<c>gzip</c> modules (an independent reader) and
/// compares every row with the formula of <see cref="ExportRows"/>; answers <c>OK {rows}</c> or the first difference.
/// </summary>
internal static class PythonReader
{
    private const string Script = """
        import csv, gzip, json, sys
        path, fmt, rows, zipped, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", int(sys.argv[5])
        def note(i):
            return ["=SUM(A1)", "a,b", 'say "hi"', "line1\nline2", "-5", None, "@x"][i % 7]
        def escaped(s):
            return "'" + s if s and s[0] in "=+-@\t\r" else s
        opener = gzip.open if zipped else open
        with opener(path, "rt", encoding="utf-8", newline="") as f:
            n = 0
            if fmt == "csv":
                reader = csv.reader(f)
                header = next(reader)
                if header != ["id", "name", "amount", "note"]:
                    print("header", header); sys.exit(1)
                for row in reader:
                    i = first + n
                    want = [str(i), "n%d" % i, str(3 * i), escaped(note(i)) or ""]
                    if row != want:
                        print("row", n, row, want); sys.exit(1)
                    n += 1
            else:
                for line in f:
                    i = first + n
                    got = json.loads(line)
                    want = {"id": i, "name": "n%d" % i, "amount": 3 * i, "note": note(i)}
                    if got != want:
                        print("row", n, got, want); sys.exit(1)
                    n += 1
        if n != rows:
            print("rows", n, rows); sys.exit(1)
        print("OK", n)
        """;

    public static async Task<string> CheckAsync(string path, string format, int rows, bool gzip, int firstId = 1)
    {
        var script = Path.Combine(Path.GetTempPath(), "longhaul-tests", "export-check.py");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        await File.WriteAllTextAsync(script + ".tmp" + Environment.ProcessId, Script, TestContext.Current.CancellationToken);
        File.Move(script + ".tmp" + Environment.ProcessId, script, overwrite: true);
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, path, format, rows.ToString(System.Globalization.CultureInfo.InvariantCulture), gzip ? "1" : "0", firstId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return ((await output) + (await error)).Trim();
    }
}
