using System.Collections.Concurrent;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Protocol;
using Integrations.Testing;

namespace Integrations.Azure.Tests.OAuth.Tokens;

/// <summary>
/// A provider's token and revocation endpoints as a script (the protocol port is an external system's; the real
/// OpenIddict end-to-end tests exercise the protocol client): counts every request, answers with <see cref="Answer"/>
/// after <see cref="Delay"/>, so concurrent callers really overlap.
/// </summary>
public sealed class ScriptedOAuthProtocol : IOAuthProtocol
{
    private int _tokenRequests;

    public Func<TokenRequest, int, Task<TokenResult>> Answer { get; set; } =
        (_, n) => Task.FromResult(TokenResult.Success(new TokenResponse($"access-{n}-{TestRandom.Hex(8)}", "Bearer", TimeSpan.FromHours(1), null, null, null)));

    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(300);

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public ConcurrentQueue<TokenRequest> Requests { get; } = new();

    public ConcurrentQueue<RevocationRequest> Revocations { get; } = new();

    public bool RevocationSucceeds { get; set; } = true;

    public static Func<TokenRequest, int, Task<TokenResult>> Fails(OAuthFailureKind kind, string? error, int? status = null) =>
        (_, _) => Task.FromResult(TokenResult.Failed(new OAuthFailure(kind, error, "scripted failure", status)));

    public async Task<TokenResult> RequestTokenAsync(TokenRequest request, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _tokenRequests);
        Requests.Enqueue(request);
        await Task.Delay(Delay, cancellationToken);
        return await Answer(request, n);
    }

    public Task<Result<bool>> RevokeAsync(RevocationRequest request, CancellationToken cancellationToken = default)
    {
        Revocations.Enqueue(request);
        return Task.FromResult<Result<bool>>(RevocationSucceeds
            ? true
            : new HubError(ErrorKind.Unavailable, "scripted", "The provider answered 503."));
    }

    public Task<Result<DeviceAuthorization>> RequestDeviceAuthorizationAsync(DeviceAuthorizationRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<Result<ConnectedAccount>> GetUserInfoAsync(Uri endpoint, string accessToken, string circuitKey, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<Result<ConnectedAccount>> ValidateIdTokenAsync(string idToken, IdTokenExpectations expectations, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
