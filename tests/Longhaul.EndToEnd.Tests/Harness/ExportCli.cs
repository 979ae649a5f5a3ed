using System.Security.Cryptography;
using System.Text;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>Helpers of the <c>longhaul export</c>/<c>download</c> tests: the server settings of an export source, the expected CSV text, hashes.</summary>
internal static class ExportCli
{
    /// <summary>Settings for a source <c>main</c> with one table keyed by <c>id</c>, plus <paramref name="extra"/>.</summary>
    public static Dictionary<string, string> Source(string provider, string connectionString, string table, params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Longhaul__Export__Sources__main__Provider"] = provider,
            ["Longhaul__Export__Sources__main__ConnectionString"] = connectionString,
            [$"Longhaul__Export__Sources__main__Tables__{table}__Key__0"] = "id",
        };
        foreach (var (key, value) in extra) environment[key] = value;
        return environment;
    }

    /// <summary>
    /// The CSV the export writes of <see cref="Longhaul.Tests.Export.ExportRows"/>' table, written here from the rows'
    /// formula and RFC 4180 (a header, CRLF, quoted fields, formula cells prefixed with <c>'</c>).
    /// </summary>
    public static string ExpectedCsv(int rows)
    {
        var text = new StringBuilder("id,name,amount,note\r\n");
        for (var id = 1; id <= rows; id++)
        {
            var note = (id % 7) switch
            {
                0 => "'=SUM(A1)",
                1 => "\"a,b\"",
                2 => "\"say \"\"hi\"\"\"",
                3 => "\"line1\nline2\"",
                4 => "'-5",
                5 => "",
                _ => "'@x",
            };
            text.Append(id).Append(",n").Append(id).Append(',').Append(id * 3).Append(',').Append(note).Append("\r\n");
        }
        return text.ToString();
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(string path) => Sha256(File.ReadAllBytes(path));

    /// <summary>The environment of a client command against <paramref name="server"/>.</summary>
    public static Dictionary<string, string> Client(LonghaulServerProcess server) => new() { ["LONGHAUL_URL"] = server.BaseAddress.ToString() };
}
