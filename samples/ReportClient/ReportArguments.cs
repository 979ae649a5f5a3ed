using System.Globalization;

namespace ReportClient;

/// <summary>
/// The command line: <c>--url</c>, <c>--token</c>, then either <c>--title</c> and <c>--pages</c> (optionally
/// <c>--key</c>, <c>--page-ms</c>, <c>--timeout</c>) to start a report, or <c>--id</c> to follow one started earlier;
/// <c>--wait yes</c> waits with progress instead of printing each page.
/// </summary>
public sealed record ReportArguments(Uri Url, string Token, string Title, int Pages, string? IdempotencyKey, int PageMilliseconds, double? TimeoutSeconds, string? OperationId, bool Wait)
{
    public const string Usage = "usage: ReportClient --url http://127.0.0.1:5080 --token demo-alice (--title Quarterly --pages 20 [--key quarterly-1] [--page-ms 200] [--timeout SECONDS] | --id op_…) [--wait yes]";

    /// <summary>The arguments, or null when they are not usable (the caller prints <see cref="Usage"/>).</summary>
    public static ReportArguments? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) return null;
            values[args[i][2..]] = args[i + 1];
        }
        var id = values.GetValueOrDefault("id");
        if (args.Length % 2 != 0
            || !values.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !values.TryGetValue("token", out var token))
        {
            return null;
        }
        var title = values.GetValueOrDefault("title");
        var pageCount = 0;
        if (id is null && (title is null || !values.TryGetValue("pages", out var pages) || !int.TryParse(pages, CultureInfo.InvariantCulture, out pageCount)))
            return null;
        var pageMilliseconds = values.TryGetValue("page-ms", out var ms) ? int.Parse(ms, CultureInfo.InvariantCulture) : 200;
        double? timeout = values.TryGetValue("timeout", out var t) ? double.Parse(t, CultureInfo.InvariantCulture) : null;
        return new ReportArguments(uri, token, title ?? "", pageCount, values.GetValueOrDefault("key"), pageMilliseconds, timeout, id, values.GetValueOrDefault("wait") == "yes");
    }
}
