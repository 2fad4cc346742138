using System.Globalization;
using Integrations.Core.Events;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Recovery;

/// <summary>
/// Publishes what happens to people's accounts (<c>auth.signup</c>, <c>auth.password_changed</c>,
/// <c>auth.refresh_token_reuse_detected</c>, <c>auth.account_locked</c>, <c>auth.login_failed</c>) to the platform's own project
/// (<c>Auth:Platform</c>), through <see cref="EventWriter"/>: its outbox, and so its webhook endpoints, signed and retried like
/// every hub event. Without <c>Auth:Platform</c> nothing is published. The data names the user and their address — never a
/// password, a token or the source address of a failed login.
/// </summary>
public sealed class AuthEventPublisher(IServiceProvider services, IUserStore users, IOptions<RecoveryOptions> options)
    : IUserEventListener, IAccountLockoutListener, ILoginFailureListener
{
    public Task UserEventAsync(UserEvent userEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userEvent);
        var data = Data(userEvent.User);
        if (userEvent.SessionId is { } sessionId)
        {
            data["session_id"] = sessionId;
        }

        foreach (var (name, value) in userEvent.Data ?? new Dictionary<string, string>())
        {
            data.TryAdd(name, value); // Never over user_id or email.
        }

        return PublishAsync(userEvent.Type, userEvent.User, data, cancellationToken);
    }

    public async Task AccountLockedAsync(AccountLockout lockout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lockout);
        if (!options.Value.PublishesEvents || await users.FindByEmailAsync(lockout.AccountKey, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            // No account behind the address (someone guessing at a non-existent one): nobody to tell.
            return;
        }

        var data = Data(user);
        data["reason"] = lockout.Reason == AccountLockoutReason.AccountLimit ? "account_throttled" : "source_locked";
        data["retry_after_seconds"] = ((int)Math.Ceiling(lockout.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await PublishAsync(HubEventTypes.AuthAccountLocked, user, data, cancellationToken).ConfigureAwait(false);
    }

    public async Task LoginFailedAsync(LoginFailureReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!options.Value.PublishesEvents || await users.FindByEmailAsync(report.AccountKey, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return;
        }

        var data = Data(user);
        data["failures"] = report.Failures.ToString(CultureInfo.InvariantCulture);
        data["window_seconds"] = ((int)report.Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await PublishAsync(HubEventTypes.AuthLoginFailed, user, data, cancellationToken).ConfigureAwait(false);
    }

    private async Task PublishAsync(string type, User user, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var platform = options.Value.Platform;
        if (!options.Value.PublishesEvents)
        {
            return;
        }

        // Resolved here, not injected: the event writer's listeners reach the outbound services, which are not in every host.
        var writer = services.GetRequiredService<EventWriter>();
        await writer.AppendAsync(platform.OrganizationId!, platform.ProjectId!, type, "user/" + user.Id, data, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string> Data(User user) => new(StringComparer.Ordinal) { ["user_id"] = user.Id, ["email"] = user.Email };
}
