using System.Diagnostics.CodeAnalysis;

namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// The upstream's answer, streaming: <see cref="Body"/> reads from the upstream connection as the caller copies it,
/// never buffered whole. Or, when no answer came, <see cref="Failure"/>. Dispose it to release the connection.
/// </summary>
public sealed class ProxyResponse : IAsyncDisposable, IDisposable
{
    private readonly IDisposable? _owner;

    /// <summary>A response from upstream (any status).</summary>
    public ProxyResponse(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, Stream body, int attempts, IDisposable? owner = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(body);
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
        Attempts = attempts;
        _owner = owner;
    }

    /// <summary>No response: the request failed before one arrived.</summary>
    public ProxyResponse(ProxyFailure failure, int attempts)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Failure = failure;
        Headers = [];
        Body = Stream.Null;
        Attempts = attempts;
    }

    /// <summary>The upstream's status; 0 when <see cref="Failure"/> is set.</summary>
    public int StatusCode { get; }

    /// <summary>The upstream's headers (response and content headers), already filtered with <see cref="ProxyHeaders.ForResponse"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body as the upstream sends it (not decompressed: <c>Content-Encoding</c> is passed on with it).</summary>
    public Stream Body { get; }

    /// <summary>Attempts made, the first and any 401 retry included: the value of <c>X-Hub-Attempts</c>.</summary>
    public int Attempts { get; }

    /// <summary>Null when the upstream answered.</summary>
    public ProxyFailure? Failure { get; }

    [MemberNotNullWhen(false, nameof(Failure))]
    public bool HasResponse => Failure is null;

    public void Dispose()
    {
        Body.Dispose();
        _owner?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Body.DisposeAsync().ConfigureAwait(false);
        _owner?.Dispose();
    }
}
