using System.Security.Cryptography;
using System.Text;

namespace Longhaul.Webhooks;

/// <summary>
/// The Standard Webhooks signature (standardwebhooks.com): <c>v1,</c> and the base64 HMAC-SHA256 of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> under the secret's key bytes; several secrets give several
/// signatures, space-separated (a rotation's overlap). Secrets are <c>whsec_</c> and the base64 of 32 random bytes.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The prefix of a secret in the Standard Webhooks format.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: <c>whsec_</c> and the base64 of 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key bytes of a <c>whsec_</c> secret.</summary>
    /// <exception cref="FormatException">The part after the prefix is not base64.</exception>
    public static byte[] KeyOf(string secret)
        => Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    /// <summary>The <c>webhook-signature</c> header value: one <c>v1,…</c> per secret, in the order given.</summary>
    public static string Header(string id, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return string.Join(' ', secrets.Select(s => "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(s), signed))));
    }
}
