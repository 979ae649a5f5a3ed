namespace Longhaul;

/// <summary>A write was refused because this worker no longer holds the operation's lease.</summary>
public sealed class LeaseLostException : Exception
{
    /// <summary>With the standard message: the lease was lost and another worker may own the operation.</summary>
    public LeaseLostException() : base("The operation's lease was lost; another worker may own it now.") { }

    /// <summary>With <paramref name="message"/>.</summary>
    public LeaseLostException(string message) : base(message) { }

    /// <summary>With <paramref name="message"/> and its cause.</summary>
    public LeaseLostException(string message, Exception innerException) : base(message, innerException) { }
}
