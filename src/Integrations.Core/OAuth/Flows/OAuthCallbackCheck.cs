namespace Integrations.Core.OAuth.Flows;

/// <summary>The outcome of <see cref="OAuthStateService.ConsumeAsync"/>: a consumed state with its verifier, or a refusal.</summary>
public sealed class OAuthCallbackCheck
{
    private OAuthCallbackCheck(ConsumedOAuthState? consumed, OAuthStateRefusal? refusal)
    {
        Consumed = consumed;
        Refusal = refusal;
    }

    /// <summary>Set when the state was valid and this call consumed it.</summary>
    public ConsumedOAuthState? Consumed { get; }

    public OAuthStateRefusal? Refusal { get; }

    public bool IsSuccess => Consumed is not null;

    public static OAuthCallbackCheck Success(ConsumedOAuthState consumed) => new(consumed, null);

    public static OAuthCallbackCheck Refused(OAuthStateRefusal refusal) => new(null, refusal);

    public override string ToString() => IsSuccess ? "OAuthCallbackCheck { Success }" : $"OAuthCallbackCheck {{ Refusal = {Refusal} }}";
}
