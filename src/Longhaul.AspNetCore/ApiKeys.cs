using System.Security.Cryptography;
using System.Text;

namespace Longhaul.AspNetCore;

/// <summary>API key format and hashing. Keys are 256-bit random, so a plain SHA-256 is a safe stored form.</summary>
public static class ApiKeys
{
    /// <summary>Every key starts with <c>lh_</c>, so a leaked key is recognisable in logs and secret scanners.</summary>
    public const string Prefix = "lh_";

    /// <summary>A new key: <see cref="Prefix"/> and 32 random bytes in base64url. Shown once; only its <see cref="Hash"/> is stored.</summary>
    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new key id (<c>key_</c> and 12 hex digits): names a key in listings and revocations without revealing it.</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>The stored form of <paramref name="key"/>: SHA-256 of its UTF-8 bytes, lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Tenant names: 1–63 characters, lower-case letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static bool IsValidTenant(string? tenant)
        => tenant is { Length: > 0 and < 64 } && char.IsAsciiLetterLower(tenant[0]) | char.IsAsciiDigit(tenant[0])
           && tenant.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
