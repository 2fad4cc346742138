namespace Integrations.Http.Limits;

/// <summary>
/// A response body is larger than <c>OutboundHttp:MaxResponseBytes</c>: refused from its Content-Length, or ended once
/// that many bytes were read. Never retried. An <see cref="IOException"/> because it surfaces while a stream is read.
/// </summary>
public sealed class OutboundResponseTooLargeException : IOException
{
    public OutboundResponseTooLargeException()
        : this(0)
    {
    }

    public OutboundResponseTooLargeException(string message)
        : base(message)
    {
    }

    public OutboundResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OutboundResponseTooLargeException(long maxBytes, long? declaredLength = null)
        : base(declaredLength is { } length
            ? $"The response declares {length} bytes, more than {Hosting.OutboundHttpOptions.SectionName}:MaxResponseBytes ({maxBytes})."
            : $"The response body is longer than {Hosting.OutboundHttpOptions.SectionName}:MaxResponseBytes ({maxBytes} bytes); reading stopped there.")
    {
        MaxBytes = maxBytes;
        DeclaredLength = declaredLength;
    }

    /// <summary>The cap in force.</summary>
    public long MaxBytes { get; }

    /// <summary>The Content-Length the response declared, when it was refused for that.</summary>
    public long? DeclaredLength { get; }
}
