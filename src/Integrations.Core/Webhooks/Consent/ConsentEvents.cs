using System.Globalization;
using System.Text.Json;
using Integrations.Core.OAuth;

namespace Integrations.Core.Webhooks.Consent;

/// <summary>
/// Reads the consent-revocation events of the providers whose signed webhooks the hub verifies, each as its documentation
/// shows it, into a <see cref="ConsentRevocation"/>. Everything else (almost every delivery) is answered null after a byte
/// search, without parsing the body.
/// </summary>
/// <remarks>
/// Not covered: Atlassian. OAuth 2.0 (3LO) apps get no uninstall or revocation webhook (a revoked grant shows as
/// <c>invalid_grant</c> on the next refresh, which moves the connection to <c>needs_reauth</c>); Connect apps' <c>uninstalled</c>
/// lifecycle callback is authenticated with an Atlassian-signed JWT (RS256 since 2021), which none of the hub's schemes verifies,
/// and Connect reaches end of support in 2026.
/// </remarks>
public static class ConsentEvents
{
    /// <summary>Longest provider id read from an event; longer values are not ids and are ignored.</summary>
    private const int MaxIdLength = ProviderAccountIds.MaxValueLength;

    /// <summary>At most this many user ids of one <c>tokens_revoked</c> event are matched (Slack sends them per workspace).</summary>
    private const int MaxIdsPerEvent = 500;

    /// <summary>
    /// The revocation <paramref name="webhookEvent"/> carries, or null when it is no consent-revocation event of its scheme (or
    /// names no account). <paramref name="body"/> is the raw body as verified.
    /// </summary>
    public static ConsentRevocation? Read(WebhookEvent webhookEvent, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        try
        {
            return webhookEvent.Scheme switch
            {
                WebhookSchemes.Slack when body.IndexOf("tokens_revoked"u8) >= 0 || body.IndexOf("app_uninstalled"u8) >= 0 => Slack(webhookEvent, body),
                WebhookSchemes.GitHub when GitHubEventName(webhookEvent) is "github_app_authorization" or "installation" => GitHub(webhookEvent, body),
                WebhookSchemes.Stripe when body.IndexOf("account.application.deauthorized"u8) >= 0 => Stripe(webhookEvent, body),
                WebhookSchemes.Zoom when body.IndexOf("app_deauthorized"u8) >= 0 => Zoom(webhookEvent, body),
                _ => null,
            };
        }
        catch (JsonException)
        {
            // Verified but not JSON (or not the documented shape): not a revocation this reader can act on.
            return null;
        }
    }

    /// <summary>
    /// Slack Events API (https://api.slack.com/events/tokens_revoked, https://api.slack.com/events/app_uninstalled): an
    /// <c>event_callback</c> envelope whose <c>team_id</c> is the workspace. <c>tokens_revoked</c>'s <c>event.tokens</c> lists
    /// user ids, not tokens: <c>bot</c> the bot users whose tokens were revoked, <c>oauth</c> the users whose user tokens were.
    /// <c>app_uninstalled</c> revokes every token of the workspace.
    /// </summary>
    private static ConsentRevocation? Slack(WebhookEvent webhookEvent, ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (Text(root, "type") != "event_callback" || !root.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.Object
            || Id(root, "team_id") is not { } team)
        {
            return null;
        }

        string[] templates = ["slack"];
        var eventId = Text(root, "event_id") ?? webhookEvent.ProviderEventId;
        switch (Text(evt, "type"))
        {
            case "app_uninstalled":
                return new ConsentRevocation("app_uninstalled", templates, [AccountMatch.Of((ProviderAccountIds.TeamId, team))],
                    $"Slack: the app was uninstalled from workspace {team} (app_uninstalled, event {eventId}).");
            case "tokens_revoked":
                var matches = new List<AccountMatch>();
                if (evt.TryGetProperty("tokens", out var tokens) && tokens.ValueKind == JsonValueKind.Object)
                {
                    // A connection holds the bot token when the grant named a bot user: its bot's revocation ends it.
                    foreach (var bot in Ids(tokens, "bot"))
                    {
                        matches.Add(AccountMatch.Of((ProviderAccountIds.BotUserId, bot), (ProviderAccountIds.TeamId, team)));
                    }

                    // A user's token ends a connection only if that connection holds a user token (its grant named no bot user):
                    // the bot token of an installation outlives the installing user's token.
                    foreach (var user in Ids(tokens, "oauth"))
                    {
                        matches.Add(AccountMatch.Of((ProviderAccountIds.UserId, user), (ProviderAccountIds.TeamId, team)) with { Absent = [ProviderAccountIds.BotUserId] });
                    }
                }

                return matches.Count == 0 ? null : new ConsentRevocation("tokens_revoked", templates, matches,
                    $"Slack: the app's tokens were revoked in workspace {team} (tokens_revoked, event {eventId}).");
            default:
                return null;
        }
    }

    /// <summary>
    /// GitHub (https://docs.github.com/webhooks/webhook-events-and-payloads#github_app_authorization and #installation):
    /// <c>github_app_authorization</c> <c>revoked</c> — the user in <c>sender</c> revoked their authorization of the app;
    /// <c>installation</c> <c>deleted</c> — the installation <c>installation.id</c> was removed.
    /// </summary>
    private static ConsentRevocation? GitHub(WebhookEvent webhookEvent, ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        string[] templates = ["github"];
        var delivery = webhookEvent.ProviderEventId;
        switch (GitHubEventName(webhookEvent), Text(root, "action"))
        {
            case ("github_app_authorization", "revoked"):
                if (!root.TryGetProperty("sender", out var sender) || Id(sender, "id") is not { } userId)
                {
                    return null;
                }

                var login = Id(sender, "login") ?? userId;
                return new ConsentRevocation("github_app_authorization.revoked", templates, [AccountMatch.Of((ProviderAccountIds.UserId, userId))],
                    $"GitHub: user {login} revoked the app's authorization (github_app_authorization revoked, delivery {delivery}).");
            case ("installation", "deleted"):
                if (!root.TryGetProperty("installation", out var installation) || Id(installation, "id") is not { } installationId)
                {
                    return null;
                }

                var account = installation.TryGetProperty("account", out var owner) ? Id(owner, "login") : null;
                return new ConsentRevocation("installation.deleted", templates, [AccountMatch.Of((ProviderAccountIds.InstallationId, installationId))],
                    $"GitHub: installation {installationId}{(account is null ? "" : " on " + account)} was deleted (installation deleted, delivery {delivery}).");
            default:
                return null;
        }
    }

    /// <summary>
    /// Stripe Connect (https://docs.stripe.com/connect/webhooks): <c>account.application.deauthorized</c>, sent to the
    /// platform's Connect endpoint with the connected account in the event's top-level <c>account</c> — the
    /// <c>stripe_user_id</c> of the OAuth token response.
    /// </summary>
    private static ConsentRevocation? Stripe(WebhookEvent webhookEvent, ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (Text(root, "type") != "account.application.deauthorized" || Id(root, "account") is not { } account)
        {
            return null;
        }

        var eventId = Id(root, "id") ?? webhookEvent.ProviderEventId;
        return new ConsentRevocation("account.application.deauthorized", ["stripe-connect"], [AccountMatch.Of((ProviderAccountIds.StripeUserId, account))],
            $"Stripe: account {account} disconnected the platform (account.application.deauthorized, event {eventId}).");
    }

    /// <summary>
    /// Zoom (https://developers.zoom.us/docs/api/rest/reference/marketplace/events/#app_deauthorized): <c>app_deauthorized</c>
    /// with <c>payload.user_id</c> (who removed the app) and <c>payload.account_id</c>. Only the signed delivery of an event
    /// subscription (<c>x-zm-signature</c>) reaches here; the legacy deauthorization endpoint with a verification token in
    /// <c>authorization</c> is not a scheme the hub verifies.
    /// </summary>
    private static ConsentRevocation? Zoom(WebhookEvent webhookEvent, ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (Text(root, "event") != "app_deauthorized" || !root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object
            || Id(payload, "user_id") is not { } userId)
        {
            return null;
        }

        var account = Id(payload, "account_id");
        return new ConsentRevocation("app_deauthorized", ["zoom"], [AccountMatch.Of((ProviderAccountIds.UserId, userId))],
            $"Zoom: user {userId}{(account is null ? "" : " of account " + account)} removed the app (app_deauthorized, event {webhookEvent.ProviderEventId}).");
    }

    /// <summary>
    /// The GitHub event name: the stored event type, else the <c>X-GitHub-Event</c> header kept with the event. The github scheme
    /// stores <c>{X-GitHub-Event}.{action}</c> (<c>installation.deleted</c>); GitHub's event names have no dot, so the name is the
    /// part before the first one.
    /// </summary>
    private static string? GitHubEventName(WebhookEvent webhookEvent)
    {
        var type = webhookEvent.EventType ?? webhookEvent.Headers.FirstOrDefault(h => string.Equals(h.Key, "X-GitHub-Event", StringComparison.OrdinalIgnoreCase)).Value;
        var dot = type?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot >= 0 ? type![..dot] : type;
    }

    private static List<string> Ids(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return list.EnumerateArray().Select(IdOf).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxIdsPerEvent).ToList();
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A provider id: a string or an integer (GitHub's ids are numbers), of the shape <see cref="ProviderAccountIds.IsId"/> accepts.</summary>
    private static string? Id(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? IdOf(value) : null;

    private static string? IdOf(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        return text is { Length: <= MaxIdLength } && ProviderAccountIds.IsId(text) ? text : null;
    }
}
