using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Longhaul.Storage;

namespace Longhaul.AspNetCore;

/// <summary>
/// Opaque list cursors (ADR 12): the cursor (the store's global sequence) encrypted with AES-GCM under a 256-bit key
/// kept in the store, so every node sharing it reads every other node's tokens, also after a restart. The tenant and
/// the list filters are the associated data: a token from another tenant or another filter fails authentication like
/// a tampered one. Token = base64url(nonce 12 | cursor 8 | tag 16): 36 bytes, 48 characters with no padding bits, so
/// every character counts.
/// </summary>
internal sealed class PageTokens(IOperationStore store)
{
    public const string SecretName = "page_tokens.aes256gcm.v1";
    private const int NonceBytes = 12;
    private const int CursorBytes = 8;
    private const int TagBytes = 16;
    private const int TokenBytes = NonceBytes + CursorBytes + TagBytes;
    private const int TokenChars = TokenBytes / 3 * 4;

    private readonly StoreSecret _secret = new(store, SecretName);

    /// <summary>The token that continues the list after <paramref name="cursor"/>, for this tenant and these filters only.</summary>
    public async Task<string> EncodeAsync(long cursor, PageTokenScope scope, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        Span<byte> token = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(token[..NonceBytes]);
        Span<byte> plain = stackalloc byte[CursorBytes];
        BinaryPrimitives.WriteInt64BigEndian(plain, cursor);
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(token[..NonceBytes], plain, token.Slice(NonceBytes, CursorBytes), token[(NonceBytes + CursorBytes)..], scope.AssociatedData());
        }
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The cursor, or null when the token is not one this store's servers issued for this tenant and these filters.</summary>
    public async Task<long?> DecodeAsync(string token, PageTokenScope scope, CancellationToken cancellationToken)
    {
        if (token.Length != TokenChars) return null;
        var bytes = new byte[TokenBytes];
        if (Base64Url.DecodeFromChars(token, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != TokenChars || written != TokenBytes)
        {
            return null;
        }
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        Span<byte> plain = stackalloc byte[CursorBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes, CursorBytes), bytes.AsSpan(NonceBytes + CursorBytes), plain, scope.AssociatedData());
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        var cursor = BinaryPrimitives.ReadInt64BigEndian(plain);
        return cursor > 0 ? cursor : null;
    }

    private Task<byte[]> KeyAsync(CancellationToken cancellationToken) => _secret.GetAsync(cancellationToken);
}
