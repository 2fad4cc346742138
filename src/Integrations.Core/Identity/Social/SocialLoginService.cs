using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Identity.Social;

/// <summary>
/// Social login as seed 002 designs it: the platform's app runs Google/GitHub/Apple sign-in with its own OAuth app and sends
/// the verified profile; the hub finds or makes the person and starts a session. And a person's own social connections:
/// list and remove (never the last way in).
/// </summary>
/// <remarks>
/// <para>
/// <b>Three branches.</b> An existing link (provider, provider user id) → that person. Else an account holding the address
/// is linked only when the provider verified the address (<see cref="SocialErrors.EmailUnverified"/> otherwise: anyone can
/// put any address on an account at some provider). Else a new account without a password, its address verified as the
/// provider says, with a personal organization.
/// </para>
/// <para>
/// <b>Pre-account hijack.</b> An account whose address was never verified may have been made by someone else (an attacker
/// signs up with the victim's address and a password of theirs, and waits). When such an account is linked, its password is
/// removed, every session ends (new security stamp) and the address becomes verified — in one transaction; the person can
/// set a password again through a reset. An account whose address is verified keeps its password.
/// </para>
/// <para>
/// <b>Lockout.</b> Not asked and not reset: the login lock answers password guessing, and a social login proves the person
/// through the provider. A locked account stays reachable through its links.
/// </para>
/// </remarks>
public sealed partial class SocialLoginService(
    IUserStore users,
    ISocialLinkStore links,
    IUserOrganizations organizations,
    UserSessionService sessions,
    TimeProvider time,
    IEnumerable<IUserEventListener> listeners,
    ILogger<SocialLoginService> logger)
{
    private readonly IUserEventListener[] _listeners = [.. listeners];

    public const int MaxProviderLength = 32;
    public const int MaxProviderUserIdLength = 255;
    public const int MaxAvatarUrlLength = 2048;

    // A few rounds for races with another social login of the same person (two tabs) or a concurrent change of the account.
    private const int MaxAttempts = 4;

    /// <summary>Finds or makes the person of <paramref name="profile"/> and starts a session (the login's token response).</summary>
    public async Task<Result<SocialLoginOutcome>> LoginAsync(
        SocialProfile profile, string source, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(source);
        if (Validate(profile) is { } invalid)
        {
            return invalid;
        }

        var address = EmailAddress.Parse(profile.Email);
        if (!address.IsSuccess)
        {
            return address.Error;
        }

        var provider = profile.Provider!;
        var lookupHash = await links.LookupHashAsync(provider, profile.ProviderUserId!, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var found = await FindOrMakeAsync(profile, address.Value, lookupHash, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return found.Error;
            }

            if (found.Value is not { } person)
            {
                continue; // Lost a race (the link or the address was taken meanwhile): look again.
            }

            var started = await sessions.StartSessionAsync(person.User, source, organizationId, cancellationToken).ConfigureAwait(false);
            if (!started.IsSuccess)
            {
                return started.Error;
            }

            Log.SocialLogin(logger, person.User.Id, provider, person.Branch);
            await TellAsync(person.User, provider, person.Branch).ConfigureAwait(false);
            return new SocialLoginOutcome(started.Value, person.Branch);
        }

        return HubError.Conflict(UserErrors.AccountChanged, "The account changed while logging in; try again.");
    }

    /// <summary>The person's social connections, by provider.</summary>
    public Task<IReadOnlyList<SocialLink>> ListAsync(string userId, CancellationToken cancellationToken = default) => links.ListAsync(userId, cancellationToken);

    /// <summary>
    /// Removes the person's connection to <paramref name="provider"/>: 404 when there is none; 409
    /// <see cref="SocialErrors.LastLoginMethod"/> when it is the last way in (no password and no other connection). The removal
    /// is conditional on the user row as read, so two removals of the last two connections at once cannot both succeed.
    /// </summary>
    public async Task<Result<SocialLink>> UnlinkAsync(string userId, string? provider, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (!IsProvider(provider))
        {
            return HubError.NotFound("social connection");
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The user row first, then the links (not in parallel): a removal deletes its link before it writes the user row,
            // so links read after the user row include every removal that row's ETag does not already reflect.
            var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
            var current = user is null ? [] : await links.ListAsync(userId, cancellationToken).ConfigureAwait(false);
            if (user is null || current.FirstOrDefault(l => l.Provider == provider) is not { } link)
            {
                return HubError.NotFound("social connection");
            }

            if (user.PasswordHash is null && current.Count <= 1)
            {
                return HubError.Conflict(SocialErrors.LastLoginMethod,
                    "This connection is the account's last way to log in (it has no password and no other connection). Set a password (a password reset) or connect another provider first.");
            }

            if (await links.RemoveAsync(link, user.ETag!, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                Log.Unlinked(logger, userId, link.Provider);
                return link;
            }
        }

        return HubError.Conflict(UserErrors.AccountChanged, "The account changed while removing the connection; try again.");
    }

    /// <summary>True for a provider slug: 1–32 lowercase letters, digits and '-', starting and ending with a letter or digit.</summary>
    public static bool IsProvider(string? provider) => provider is { Length: > 0 and <= MaxProviderLength } && ProviderSlug().IsMatch(provider);

    private async Task<Result<Person?>> FindOrMakeAsync(SocialProfile profile, EmailAddress address, string lookupHash, CancellationToken cancellationToken)
    {
        var provider = profile.Provider!;
        if (await links.FindUserAsync(lookupHash, provider, cancellationToken).ConfigureAwait(false) is { } linkedId)
        {
            var linked = await users.GetAsync(linkedId, cancellationToken).ConfigureAwait(false);
            if (linked is not null)
            {
                return new Person(linked, SocialLoginBranch.Linked);
            }
        }

        var now = time.GetUtcNow();
        var existing = await users.FindByEmailAsync(address.LookupKey, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!profile.EmailVerified)
            {
                return HubError.Conflict(SocialErrors.EmailUnverified,
                    "An account with this email address exists, and the provider has not verified the address, so the provider account cannot be linked to it. " +
                    "Log in with the account's password (or reset it) and connect the provider from there, or verify the address at the provider.");
            }

            if ((await links.ListAsync(existing.Id, cancellationToken).ConfigureAwait(false)).FirstOrDefault(l => l.Provider == provider) is { } held)
            {
                if (string.Equals(held.LookupHash, lookupHash, StringComparison.Ordinal))
                {
                    // This very provider account, linked by a concurrent first login between our claim read and now: look again.
                    return (Person?)null;
                }

                return HubError.Conflict(SocialErrors.ProviderAlreadyLinked,
                    $"The account with this email address is already connected to another {provider} account.");
            }

            var account = existing;
            if (!existing.EmailVerified)
            {
                // Possibly pre-registered by someone else: their password and sessions must not survive the real owner's arrival.
                account = await SecureUnverifiedAsync(existing, now, cancellationToken).ConfigureAwait(false);
                if (account is null)
                {
                    return (Person?)null;
                }
            }

            var added = await links.AddAsync(new SocialLink(account.Id, provider, lookupHash, address.Value, now), cancellationToken).ConfigureAwait(false);
            return added == WriteOutcome.Written ? new Person(account, SocialLoginBranch.LinkedToExisting) : (Person?)null;
        }

        var name = UnicodeText.Nfkc(profile.DisplayName ?? string.Empty).Trim();
        if (name.Length > UserSessionService.MaxDisplayNameLength || name.Any(char.IsControl))
        {
            return HubError.Invalid(UserErrors.InvalidDisplayName,
                $"display_name must be at most {UserSessionService.MaxDisplayNameLength} characters without control characters.", "display_name");
        }

        var user = new User(Ids.New(User.IdPrefix), address.Value, address.LookupKey, PasswordHash: null, profile.EmailVerified, name, now, now, null, NewSecurityStamp());
        if (await users.AddAsync(user, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return (Person?)null; // The address was taken meanwhile: the next round links (or refuses) instead.
        }

        await organizations.CreatePersonalOrganizationAsync(user, cancellationToken).ConfigureAwait(false);
        if (await links.AddAsync(new SocialLink(user.Id, provider, lookupHash, address.Value, now), cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            // Another login of the same provider account made its own person first; this one has no way in and stays unused.
            Log.CreatedButNotLinked(logger, user.Id, provider);
            return (Person?)null;
        }

        Log.Created(logger, user.Id);
        return new Person(user, SocialLoginBranch.Created);
    }

    /// <summary>
    /// The account's address was never verified and the provider has verified it: remove the password, end every session
    /// (new security stamp), mark the address verified — one transaction. Null when the account changed meanwhile.
    /// </summary>
    private async Task<User?> SecureUnverifiedAsync(User user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secured = user with { PasswordHash = null, EmailVerified = true, UpdatedAt = now, SecurityStamp = NewSecurityStamp() };
        var ending = (await users.ListSessionsAsync(user.Id, cancellationToken).ConfigureAwait(false))
            .Where(s => s.RevokedAt is null)
            .Select(s => s with { RevokedAt = now, RevokedReason = SessionRevocation.LogoutAll, SealedGrace = null })
            .ToList();
        if (await users.UpdateUserAndSessionsAsync(secured, user.Id, ending, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return null;
        }

        Log.UnverifiedSecured(logger, user.Id, user.PasswordHash is not null, ending.Count);
        return await users.GetAsync(user.Id, cancellationToken).ConfigureAwait(false);
    }

    private static HubError? Validate(SocialProfile profile)
    {
        if (!IsProvider(profile.Provider))
        {
            return HubError.Invalid(SocialErrors.InvalidProvider,
                $"provider must be 1 to {MaxProviderLength} lowercase letters, digits or '-' (e.g. google, github, apple).", "provider");
        }

        if (string.IsNullOrEmpty(profile.ProviderUserId) || profile.ProviderUserId.Length > MaxProviderUserIdLength
            || !PrintableText.IsPrintable(profile.ProviderUserId) || profile.ProviderUserId.Any(char.IsWhiteSpace))
        {
            return HubError.Invalid(SocialErrors.InvalidProviderUserId,
                $"provider_user_id is required: at most {MaxProviderUserIdLength} printable characters without spaces.", "provider_user_id");
        }

        if (profile.AvatarUrl is { } avatar
            && (avatar.Length > MaxAvatarUrlLength || !Uri.TryCreate(avatar, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
                || !string.IsNullOrEmpty(uri.UserInfo) || string.IsNullOrEmpty(uri.Host)))
        {
            return HubError.Invalid(SocialErrors.InvalidAvatarUrl, $"avatar_url must be an absolute https URL of at most {MaxAvatarUrlLength} characters without user info.", "avatar_url");
        }

        return null;
    }

    private async Task TellAsync(User user, string provider, SocialLoginBranch branch)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["provider"] = provider,
            ["new_user"] = branch == SocialLoginBranch.Created ? "true" : "false",
            ["linked"] = branch == SocialLoginBranch.Linked ? "false" : "true",
        };
        var userEvent = new UserEvent(HubEventTypes.AuthSocialLogin, user, time.GetUtcNow(), Data: data);
        foreach (var listener in _listeners)
        {
            try
            {
                // Not the request's token: the person is logged in, and the platform should still hear of it.
                await listener.UserEventAsync(userEvent, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.ListenerFailed(logger, ex, user.Id);
            }
        }
    }

    private static string NewSecurityStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ProviderSlug();

    private sealed record Person(User User, SocialLoginBranch Branch);

    // Event ids 9820-9849 are social login's. User ids and provider slugs only: never a provider user id, address or token.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9820, Level = LogLevel.Information, Message = "User {UserId} logged in through {Provider} ({Branch}).")]
        public static partial void SocialLogin(ILogger logger, string userId, string provider, SocialLoginBranch branch);

        [LoggerMessage(EventId = 9821, Level = LogLevel.Information, Message = "User {UserId} created by a social login.")]
        public static partial void Created(ILogger logger, string userId);

        [LoggerMessage(EventId = 9822, Level = LogLevel.Warning,
            Message = "User {UserId}: an unverified account was linked to a provider that verified its address; password removed ({HadPassword}), {Sessions} session(s) ended.")]
        public static partial void UnverifiedSecured(ILogger logger, string userId, bool hadPassword, int sessions);

        [LoggerMessage(EventId = 9823, Level = LogLevel.Information, Message = "User {UserId} removed their {Provider} connection.")]
        public static partial void Unlinked(ILogger logger, string userId, string provider);

        [LoggerMessage(EventId = 9824, Level = LogLevel.Information, Message = "User {UserId} was created but a concurrent social login linked the {Provider} account first.")]
        public static partial void CreatedButNotLinked(ILogger logger, string userId, string provider);

        [LoggerMessage(EventId = 9825, Level = LogLevel.Warning, Message = "A listener failed on auth.social_login for user {UserId}; the login stands.")]
        public static partial void ListenerFailed(ILogger logger, Exception exception, string userId);
    }
}

/// <summary>A social login's session and how the person was found.</summary>
public sealed record SocialLoginOutcome(UserTokens Tokens, SocialLoginBranch Branch)
{
    public override string ToString() => $"SocialLoginOutcome {{ Branch = {Branch} }}";
}
