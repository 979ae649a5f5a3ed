namespace Longhaul;

/// <summary>Upload ids: <c>up_</c> + 26 lower-case Crockford base32 characters, made like operation ids (time-ordered, 80 random bits).</summary>
public static class UploadIds
{
    /// <summary>A new id whose time part is <paramref name="time"/>'s now.</summary>
    public static string New(TimeProvider time) => "up_" + OperationIds.New(time)[3..];

    /// <summary>True when <paramref name="id"/> has the shape of an upload id.</summary>
    public static bool IsWellFormed(string? id) => id is { Length: 29 } && id.StartsWith("up_", StringComparison.Ordinal) && OperationIds.IsWellFormed("op_" + id[3..]);
}
