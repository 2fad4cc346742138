using System.Text.RegularExpressions;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Protocol;

namespace Integrations.Core.OAuth;

/// <summary>
/// Which provider-side ids a grant reveals, per provider template, as one table: where each comes from (a member of the token
/// response, the connected account's subject, or a parameter of the authorization callback) and the key it is kept under in
/// <see cref="ConnectionState.ExternalIds"/>. Consent-revocation webhooks name connections by these ids
/// (<c>Webhooks/Consent</c>). A provider without a template, or a template not in the table, keeps no ids.
/// </summary>
public static partial class ProviderAccountIds
{
    /// <summary>A Slack workspace (<c>T…</c>).</summary>
    public const string TeamId = "team_id";

    /// <summary>A Slack Enterprise Grid organization (<c>E…</c>).</summary>
    public const string EnterpriseId = "enterprise_id";

    /// <summary>The user who authorized (Slack <c>U…</c>, GitHub's numeric user id, Zoom's user id).</summary>
    public const string UserId = "user_id";

    /// <summary>A Slack app's bot user (<c>U…</c>): <c>tokens_revoked</c> lists bot user ids for bot tokens.</summary>
    public const string BotUserId = "bot_user_id";

    /// <summary>A Stripe connected account (<c>acct_…</c>).</summary>
    public const string StripeUserId = "stripe_user_id";

    /// <summary>A GitHub App installation (numeric).</summary>
    public const string InstallationId = "installation_id";

    /// <summary>A Zoom account.</summary>
    public const string AccountId = "account_id";

    /// <summary>
    /// Prefix under which the authorization callback's own query parameters are handed to the grant in
    /// <see cref="TokenResponse.Extra"/> (e.g. GitHub's <c>installation_id</c>): the token response itself never has a member
    /// with a dot in its name at the top level, and <see cref="TokenResponse.Extra"/> flattens nested members as <c>parent.child</c>.
    /// </summary>
    public const string CallbackPrefix = "callback:";

    /// <summary>Longest id kept: provider ids are short; anything longer is not an id.</summary>
    public const int MaxValueLength = 128;

    /// <summary>The callback parameters a grant passes on (see <see cref="CallbackPrefix"/>); every other parameter is ignored.</summary>
    public static IReadOnlyList<string> CallbackParameters { get; } = ["installation_id"];

    private static readonly IReadOnlyDictionary<string, Source[]> Table = new Dictionary<string, Source[]>(StringComparer.Ordinal)
    {
        // https://api.slack.com/methods/oauth.v2.access: "team": {"id": "T9TK3CUKW", …}, "enterprise": {"id": "E12345678", …} (null
        // when not on Enterprise Grid), "authed_user": {"id": "U1234", …}, "bot_user_id": "U0KRQLJ9H".
        ["slack"] =
        [
            new(TeamId, Member: "team.id"),
            new(EnterpriseId, Member: "enterprise.id"),
            new(UserId, Member: "authed_user.id"),
            new(BotUserId, Member: "bot_user_id"),
        ],

        // https://docs.stripe.com/connect/oauth-reference#post-token-response: "stripe_user_id": "acct_…" — the connected account
        // that account.application.deauthorized names in its top-level "account".
        ["stripe-connect"] = [new(StripeUserId, Member: "stripe_user_id")],

        // https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app:
        // the token response names no user; a GitHub App that asks for authorization during installation gets
        // ?code=…&installation_id=…&setup_action=install on its callback. The user id is the connected account's subject when
        // the provider is given a userinfo endpoint that answers with "sub".
        ["github"] = [new(InstallationId, Callback: "installation_id"), new(UserId, Subject: true)],

        // https://developers.zoom.us/docs/integrations/oauth/: the token response names neither user nor account; the user id is
        // the connected account's subject when the provider is given a userinfo endpoint that answers with "sub".
        ["zoom"] = [new(UserId, Subject: true)],
    };

    /// <summary>The templates whose grants keep ids (for documentation and tests).</summary>
    public static IEnumerable<string> Templates => Table.Keys;

    /// <summary>
    /// The ids a grant of a provider made from <paramref name="templateId"/> reveals, merged over <paramref name="previous"/> (a
    /// new grant replaces the ids it names and keeps the others, e.g. an installation id a re-consent without installation
    /// does not repeat). Values that do not look like ids are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Capture(
        string? templateId, TokenResponse response, ConnectedAccount? account, IReadOnlyDictionary<string, string>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var ids = new Dictionary<string, string>(previous ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (templateId is null || !Table.TryGetValue(templateId, out var sources))
        {
            return ids;
        }

        foreach (var source in sources)
        {
            var value = source switch
            {
                { Member: { } member } => response.Extra.GetValueOrDefault(member),
                { Callback: { } parameter } => response.Extra.GetValueOrDefault(CallbackPrefix + parameter),
                { Subject: true } => account?.Subject,
                _ => null,
            };
            if (IsId(value))
            {
                ids[source.Key] = value!;
            }
        }

        return ids;
    }

    /// <summary>Whether <paramref name="value"/> can be an external id: 1–128 characters of <c>[A-Za-z0-9._:@-]</c>.</summary>
    public static bool IsId(string? value) => value is { Length: > 0 and <= MaxValueLength } && IdShape().IsMatch(value);

    /// <summary>Whether <paramref name="key"/> can name an external id (it becomes part of a storage column name).</summary>
    public static bool IsKey(string? key) => key is not null && KeyShape().IsMatch(key);

    [GeneratedRegex("^[A-Za-z0-9._:@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdShape();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShape();

    private sealed record Source(string Key, string? Member = null, string? Callback = null, bool Subject = false);
}
