namespace Integrations.Core.OAuth.Protocol;

/// <summary>
/// RFC 8628 §3.2 device authorization response. <see cref="DeviceCode"/> is a credential (kept sealed by the hub,
/// never returned to the caller); <see cref="Interval"/> defaults to 5 seconds when the server sends none.
/// </summary>
public sealed record DeviceAuthorization(string DeviceCode, string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, TimeSpan ExpiresIn, TimeSpan Interval)
{
    public override string ToString() => $"DeviceAuthorization {{ UserCode = {UserCode}, VerificationUri = {VerificationUri}, ExpiresIn = {ExpiresIn}, Interval = {Interval} }}";
}
