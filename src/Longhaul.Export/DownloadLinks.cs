using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Longhaul.AspNetCore;
using Longhaul.Storage;

namespace Longhaul.Export;

/// <summary>
/// Capability URLs for export files: <c>/downloads/{id}/{name}?tenant=…&amp;expires=…&amp;signature=…</c>, the
/// signature an HMAC-SHA256 of tenant, operation, file and expiry under a 256-bit key kept in the store (the mechanism
/// of ADR 12's page tokens), so every node sharing the store verifies every other node's links, also after a restart.
/// Changing any bound part (another file, a later expiry) breaks the signature.
/// </summary>
internal sealed class DownloadLinks(IOperationStore store)
{
    public const string SecretName = "download_links.hmacsha256.v1";
    public const string PathPrefix = "/downloads";
    private const int SignatureBytes = 32;

    private readonly StoreSecret _secret = new(store, SecretName);

    public async Task<string> CreateAsync(string tenant, string operationId, string name, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        var signature = await SignAsync(tenant, operationId, name, expires, cancellationToken).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture,
            $"{PathPrefix}/{Uri.EscapeDataString(operationId)}/{Uri.EscapeDataString(name)}?tenant={Uri.EscapeDataString(tenant)}&expires={expires}&signature={Base64Url.EncodeToString(signature)}");
    }

    /// <summary>True when <paramref name="signature"/> is this store's signature of exactly these values (compared in constant time).</summary>
    public async Task<bool> VerifyAsync(string tenant, string operationId, string name, long expires, string signature, CancellationToken cancellationToken)
    {
        var expected = await SignAsync(tenant, operationId, name, expires, cancellationToken).ConfigureAwait(false);
        var given = new byte[SignatureBytes];
        var decoded = Base64Url.DecodeFromChars(signature, given, out var consumed, out var written) == System.Buffers.OperationStatus.Done
            && consumed == signature.Length && written == SignatureBytes;
        // Compared even when the signature did not decode, so a malformed one costs the same as a wrong one.
        return CryptographicOperations.FixedTimeEquals(expected, given) & decoded;
    }

    private async Task<byte[]> SignAsync(string tenant, string operationId, string name, long expires, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        // Length-prefixed fields: no two different tuples share a message.
        var message = string.Create(CultureInfo.InvariantCulture,
            $"v1|{tenant.Length}:{tenant}|{operationId.Length}:{operationId}|{name.Length}:{name}|{expires}");
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message));
    }

    private Task<byte[]> KeyAsync(CancellationToken cancellationToken) => _secret.GetAsync(cancellationToken);
}
