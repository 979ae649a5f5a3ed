using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Longhaul.Storage;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// Issues and verifies lease tokens: <c>{id}.{epoch}.{tenant}.{deadline}.{claimed}.{warn}.{trace}.{mac}</c> (times in Unix
/// ms or <c>-</c>; trace the claim span's <c>{trace-id}-{span-id}</c> or <c>-</c>; tokens of the older five-part form
/// <c>{id}.{epoch}.{tenant}.{deadline}.{mac}</c> still verify, without telemetry), the MAC an HMAC-SHA256 of the rest
/// under a key every node of the store shares (a store secret, ADR 22). Opaque to workers. A token cannot be forged or
/// altered without the key, so its fields are trusted once verified; the store's lease epoch still decides whether the
/// lease holds (a verified but stale token is fenced off by the write itself).
/// </summary>
internal sealed class LeaseTokens(IOperationStore store)
{
    public const int MaxLength = 512;
    private const string SecretName = "worker-lease-token-key";
    private byte[]? _key;

    public async ValueTask<string> IssueAsync(Operation op, DateTimeOffset claimedAt, DateTimeOffset? warnAt, ActivityContext? claim, CancellationToken cancellationToken)
    {
        var body = string.Join('.', op.Id, op.LeaseEpoch.ToString(CultureInfo.InvariantCulture), op.Tenant, Ms(op.DeadlineAt), Ms(claimedAt), Ms(warnAt),
            claim is { } c ? c.TraceId.ToHexString() + "-" + c.SpanId.ToHexString() : "-");
        return body + "." + Mac(await KeyAsync(cancellationToken).ConfigureAwait(false), body);
    }

    /// <summary>The token's lease, or null when the token is malformed or its MAC does not match (not issued by this store's servers).</summary>
    public async ValueTask<LeaseToken?> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is null || token.Length is 0 or > MaxLength) return null;
        var parts = token.Split('.');
        if (parts.Length is not (5 or 8) || parts.Any(p => p.Length == 0)) return null;
        var body = token[..token.LastIndexOf('.')];
        var expected = Mac(await KeyAsync(cancellationToken).ConfigureAwait(false), body);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.UTF8.GetBytes(parts[^1]))) return null;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)) return null;
        if (!TryTime(parts[3], out var deadline)) return null;
        if (parts.Length == 5) return new LeaseToken(parts[0], epoch, parts[2], deadline);
        if (!TryTime(parts[4], out var claimedAt) || !TryTime(parts[5], out var warnAt)) return null;
        ActivityContext? claim = null;
        if (parts[6] != "-")
        {
            var ids = parts[6].Split('-');
            if (ids.Length != 2 || ids[0].Length != 32 || ids[1].Length != 16 || !ids[0].All(char.IsAsciiHexDigitLower) || !ids[1].All(char.IsAsciiHexDigitLower)) return null;
            claim = new ActivityContext(ActivityTraceId.CreateFromString(ids[0]), ActivitySpanId.CreateFromString(ids[1]), ActivityTraceFlags.Recorded, isRemote: true);
        }
        return new LeaseToken(parts[0], epoch, parts[2], deadline, claimedAt, warnAt, claim);
    }

    private static string Ms(DateTimeOffset? time) => time is { } t ? t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : "-";

    private static bool TryTime(string part, out DateTimeOffset? time)
    {
        time = null;
        if (part == "-") return true;
        if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > 253402300799999) return false;
        time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    private async ValueTask<byte[]> KeyAsync(CancellationToken cancellationToken)
        => _key ??= await store.GetOrAddSecretAsync(new SecretParams(SecretName, RandomNumberGenerator.GetBytes(32)), cancellationToken).ConfigureAwait(false);

    private static string Mac(byte[] key, string body)
        => Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
