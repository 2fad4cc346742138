namespace Integrations.Core.Identity.Users;

/// <summary>
/// Told after something happened to a person's account that the platform may want to hear of (<c>auth.signup</c>,
/// <c>auth.password_changed</c>, <c>auth.refresh_token_reuse_detected</c>). Register any number with <c>TryAddEnumerable</c>;
/// <see cref="UserSessionService"/> publishes nothing itself. A listener that throws is logged and does not change the answer.
/// </summary>
public interface IUserEventListener
{
    Task UserEventAsync(UserEvent userEvent, CancellationToken cancellationToken = default);
}

/// <summary>What happened (<see cref="Events.HubEventTypes"/>' <c>auth.*</c>), to whom, and when. Never a password or a token.</summary>
/// <param name="Data">More event data (e.g. <c>auth.social_login</c>'s provider and flags), added to the user's; never a secret.</param>
public sealed record UserEvent(string Type, User User, DateTimeOffset At, string? SessionId = null, IReadOnlyDictionary<string, string>? Data = null);
