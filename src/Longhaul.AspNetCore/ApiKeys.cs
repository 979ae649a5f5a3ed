using System.Security.Cryptography;
using System.Text;

namespace Longhaul.AspNetCore;

/// <summary>API key format and hashing. Keys are 256-bit random, so a plain SHA-256 is a safe stored form.</summary>
public static class ApiKeys
{
    public const string Prefix = "lh_";

    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Tenant names: 1–63 characters, lower-case letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static bool IsValidTenant(string? tenant)
        => tenant is { Length: > 0 and < 64 } && char.IsAsciiLetterLower(tenant[0]) | char.IsAsciiDigit(tenant[0])
           && tenant.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
