using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Longhaul.Storage;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// Issues and verifies lease tokens: <c>{id}.{epoch}.{tenant}.{deadline}.{mac}</c>, the MAC an HMAC-SHA256 of the rest
/// under a key every node of the store shares (a store secret, ADR 22). Opaque to workers. A token cannot be forged or
/// altered without the key, so its fields are trusted once verified; the store's lease epoch still decides whether the
/// lease holds (a verified but stale token is fenced off by the write itself).
/// </summary>
internal sealed class LeaseTokens(IOperationStore store)
{
    public const int MaxLength = 512;
    private const string SecretName = "worker-lease-token-key";
    private byte[]? _key;

    public async ValueTask<string> IssueAsync(Operation op, CancellationToken cancellationToken)
    {
        var body = string.Join('.', op.Id, op.LeaseEpoch.ToString(CultureInfo.InvariantCulture), op.Tenant,
            op.DeadlineAt is { } d ? d.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : "-");
        return body + "." + Mac(await KeyAsync(cancellationToken).ConfigureAwait(false), body);
    }

    /// <summary>The token's lease, or null when the token is malformed or its MAC does not match (not issued by this store's servers).</summary>
    public async ValueTask<LeaseToken?> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is null || token.Length is 0 or > MaxLength) return null;
        var parts = token.Split('.');
        if (parts.Length != 5 || parts.Any(p => p.Length == 0)) return null;
        var body = token[..token.LastIndexOf('.')];
        var expected = Mac(await KeyAsync(cancellationToken).ConfigureAwait(false), body);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.UTF8.GetBytes(parts[4]))) return null;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)) return null;
        DateTimeOffset? deadline = null;
        if (parts[3] != "-")
        {
            if (!long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return null;
            deadline = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        return new LeaseToken(parts[0], epoch, parts[2], deadline);
    }

    private async ValueTask<byte[]> KeyAsync(CancellationToken cancellationToken)
        => _key ??= await store.GetOrAddSecretAsync(new SecretParams(SecretName, RandomNumberGenerator.GetBytes(32)), cancellationToken).ConfigureAwait(false);

    private static string Mac(byte[] key, string body)
        => Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
