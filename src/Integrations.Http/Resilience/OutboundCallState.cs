using Integrations.Http.Client;
using Polly;

namespace Integrations.Http.Resilience;

/// <summary>One call's state across its attempts: what to send, where, through which target pipeline, and how often it was tried.</summary>
internal sealed class OutboundCallState(
    HttpRequestMessage request,
    OutboundCallOptions options,
    string targetKey,
    string authority,
    HttpMessageInvoker invoker,
    ResiliencePipeline<HttpResponseMessage> target)
{
    private int _attempts;

    public HttpRequestMessage Request { get; } = request;

    public OutboundCallOptions Options { get; } = options;

    public string TargetKey { get; } = targetKey;

    /// <summary>scheme://host:port — never user info, path or query.</summary>
    public string Authority { get; } = authority;

    public HttpMessageInvoker Invoker { get; } = invoker;

    public ResiliencePipeline<HttpResponseMessage> Target { get; } = target;

    public int Attempts => Volatile.Read(ref _attempts);

    public void CountAttempt() => Interlocked.Increment(ref _attempts);
}
