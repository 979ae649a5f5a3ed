using System.Globalization;

namespace Longhaul.Bench;

/// <summary>Minimal `--name value` / `--name=value` parser. Unknown names are rejected when read back.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public static BenchArgs Parse(string[] args)
    {
        var result = new BenchArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
            {
                throw new ArgumentException($"unexpected argument '{arg}'");
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result._values[arg[2..eq]] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                result._values[arg[2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"option '{arg}' needs a value");
            }
        }

        return result;
    }

    public string? Optional(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? v : null;
    }

    public string Required(string name) =>
        Optional(name) ?? throw new ArgumentException($"missing required option --{name}");

    public string String(string name, string fallback) => Optional(name) ?? fallback;

    public int Int(string name, int fallback, int min = 1)
    {
        var raw = Optional(name);
        if (raw is null)
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min)
        {
            throw new ArgumentException($"--{name} must be an integer >= {min}, got '{raw}'");
        }

        return v;
    }

    public double Double(string name, double fallback, double min = 0)
    {
        var raw = Optional(name);
        if (raw is null)
        {
            return fallback;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || !double.IsFinite(v))
        {
            throw new ArgumentException($"--{name} must be a number >= {min}, got '{raw}'");
        }

        return v;
    }

    /// <summary>Call after reading every option: rejects typos such as --conections.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException("unknown option(s): " + string.Join(", ", unknown.Select(k => "--" + k)));
        }
    }
}
