namespace Longhaul.Client;

/// <summary>A downloaded file's length or SHA-256 is not the one the operation's result gives; the partial file was deleted.</summary>
public sealed class FileVerificationException : IOException
{
    /// <summary>A verification failure described by <paramref name="message"/>.</summary>
    public FileVerificationException(string message) : base(message) { }

    /// <summary>A verification failure with no description.</summary>
    public FileVerificationException() : base("The downloaded file did not verify.") { }

    /// <summary>A verification failure described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public FileVerificationException(string message, Exception innerException) : base(message, innerException) { }
}
