namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// The outcome of opening a start link: where to send the browser and the binding value to set as its cookie, or a
/// refusal. ToString shows neither the URL (it carries the state) nor the binding.
/// </summary>
public sealed class OAuthStartResult
{
    private OAuthStartResult(Uri? authorizationUrl, string? bindingValue, string? bindingKey, DateTimeOffset expiresAt, OAuthStartRefusal? refusal)
    {
        AuthorizationUrl = authorizationUrl;
        BindingValue = bindingValue;
        BindingKey = bindingKey;
        ExpiresAt = expiresAt;
        Refusal = refusal;
    }

    /// <summary>The provider's authorization URL, as stored with the state.</summary>
    public Uri? AuthorizationUrl { get; }

    /// <summary>The fresh binding value for the cookie (256 random bits, base64url); only its hash is stored.</summary>
    public string? BindingValue { get; }

    /// <summary>Names the cookie (<see cref="OAuthState.BindingKey"/>).</summary>
    public string? BindingKey { get; }

    /// <summary>When the state expires: the cookie lives no longer.</summary>
    public DateTimeOffset ExpiresAt { get; }

    public OAuthStartRefusal? Refusal { get; }

    public bool IsSuccess => Refusal is null;

    public static OAuthStartResult Started(Uri authorizationUrl, string bindingValue, string bindingKey, DateTimeOffset expiresAt) =>
        new(authorizationUrl, bindingValue, bindingKey, expiresAt, null);

    public static OAuthStartResult Refused(OAuthStartRefusal refusal) => new(null, null, null, default, refusal);

    public override string ToString() => IsSuccess ? "OAuthStartResult { Started }" : $"OAuthStartResult {{ Refusal = {Refusal} }}";
}
