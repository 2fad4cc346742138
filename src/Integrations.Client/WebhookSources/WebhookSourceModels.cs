namespace Integrations.Client.WebhookSources;

/// <summary>
/// A webhook source: the public <see cref="Url"/> to paste into the provider's dashboard, the signature scheme, settings and
/// keys (ids and times, never values). <see cref="Secret"/> is set only in the answer to the call that made the hub generate
/// it, once; <see cref="ToString"/> never shows it.
/// </summary>
/// <param name="Id">The source id (<c>whs_…</c>).</param>
/// <param name="Name">The name, unique in the project.</param>
/// <param name="Scheme">How deliveries are verified: <c>standard</c>, <c>stripe</c>, <c>github</c>, <c>slack</c>, <c>hmac</c> ….</param>
/// <param name="Description">A description, if any.</param>
/// <param name="Url">Where the provider sends deliveries: <c>{hub}/v1/webhooks/{id}</c> on the hub's public address.</param>
/// <param name="Enabled">False: deliveries are refused.</param>
/// <param name="Settings">The scheme's settings as the hub applies them.</param>
/// <param name="Keys">The signing keys accepted now, with when each stops being accepted.</param>
/// <param name="CreatedAt">When the source was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Secret">The signing secret the hub generated, in the answer that generated it only.</param>
public sealed record WebhookSource(
    string Id, string Name, string Scheme, string? Description, Uri Url, bool Enabled, WebhookSourceSettings Settings, IReadOnlyList<WebhookSourceKey> Keys,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Secret = null)
{
    /// <summary>The source without <see cref="Secret"/>.</summary>
    public override string ToString() => $"WebhookSource {{ Id = {Id}, Name = {Name}, Scheme = {Scheme}, Secret = {(Secret is null ? "null" : "***")} }}";
}

/// <summary>One signing key of a source: its id, when it was added, and when it stops being accepted (null: until a newer one retires it).</summary>
/// <param name="Id">The key id.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="NotAfter">When it stops being accepted, if set.</param>
public sealed record WebhookSourceKey(string Id, DateTimeOffset CreatedAt, DateTimeOffset? NotAfter);

/// <summary>A source's settings; every member optional (the hub's defaults when null).</summary>
public sealed record WebhookSourceSettings
{
    /// <summary>How far a signed timestamp may be from the receive time, in seconds (hub default 300).</summary>
    public int? ToleranceSeconds { get; init; }

    /// <summary>For the <c>hmac</c> scheme: where the signature is and how it is made.</summary>
    public HmacSchemeSettings? Hmac { get; init; }

    /// <summary>For <c>hmac</c>: the header that carries the provider's event id (idempotency).</summary>
    public string? EventIdHeader { get; init; }

    /// <summary>For <c>hmac</c>: a JSON pointer to the event id in the body.</summary>
    public string? EventIdPointer { get; init; }

    /// <summary>For <c>hmac</c>: a JSON pointer to the event type in the body.</summary>
    public string? EventTypePointer { get; init; }
}

/// <summary>The generic <c>hmac</c> scheme's shape; every member optional.</summary>
public sealed record HmacSchemeSettings
{
    /// <summary>The header holding the signature.</summary>
    public string? SignatureHeader { get; init; }

    /// <summary>The HMAC algorithm, e.g. <c>sha256</c>.</summary>
    public string? Algorithm { get; init; }

    /// <summary>How the signature is written: <c>hex</c> or <c>base64</c>.</summary>
    public string? Encoding { get; init; }

    /// <summary>A prefix before the signature, e.g. <c>sha256=</c>.</summary>
    public string? Prefix { get; init; }

    /// <summary>The header holding the signed timestamp, if the provider signs one.</summary>
    public string? TimestampHeader { get; init; }

    /// <summary>What joins the timestamp and the body in the signed text.</summary>
    public string? Separator { get; init; }
}

/// <summary>
/// A source to create. Give the provider's signing secret in <see cref="Secret"/>, or set <see cref="GenerateSecret"/>
/// (<c>standard</c> and <c>hmac</c> only) to have the hub make one, returned once. <see cref="ToString"/> never shows <see cref="Secret"/>.
/// </summary>
/// <param name="Name">The name, unique in the project.</param>
/// <param name="Scheme">The signature scheme (<c>standard</c>, <c>stripe</c>, <c>github</c>, <c>hmac</c> …).</param>
public sealed record NewWebhookSource(string Name, string Scheme)
{
    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>The scheme's settings (the hub's defaults when null).</summary>
    public WebhookSourceSettings? Settings { get; init; }

    /// <summary>False: created disabled (deliveries refused). Default true.</summary>
    public bool? Enabled { get; init; }

    /// <summary>The first signing secret as the provider shows it; never echoed by the hub.</summary>
    public string? Secret { get; init; }

    /// <summary>True: the hub generates the secret (<c>standard</c>, <c>hmac</c>) and returns it once in <see cref="WebhookSource.Secret"/>.</summary>
    public bool? GenerateSecret { get; init; }

    /// <summary>The source without <see cref="Secret"/>.</summary>
    public override string ToString() => $"NewWebhookSource {{ Name = {Name}, Scheme = {Scheme}, Secret = {(Secret is null ? "null" : "***")}, GenerateSecret = {GenerateSecret} }}";
}

/// <summary>A change to a source (a JSON merge patch): a member left null is unchanged; <see cref="Settings"/> merges member by member.</summary>
public sealed record WebhookSourcePatch
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>False: refuse deliveries from now on; true: accept them again.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Settings to change (only the members set).</summary>
    public WebhookSourceSettings? Settings { get; init; }
}

/// <summary>A deleted source (its secrets are gone from the hub's vault too).</summary>
/// <param name="Id">The source id.</param>
/// <param name="Name">Its name.</param>
public sealed record DeletedWebhookSource(string Id, string Name);

/// <summary>A source's deliveries by outcome from <see cref="Since"/> (rounded down to its hour) until <see cref="Until"/>.</summary>
/// <param name="SourceId">The source id.</param>
/// <param name="Since">The start of the range.</param>
/// <param name="Until">The end of the range (the hub's now).</param>
/// <param name="Accepted">Deliveries verified and stored.</param>
/// <param name="Duplicate">Repeats of an event already stored.</param>
/// <param name="BadSignature">Deliveries whose signature did not verify.</param>
/// <param name="Stale">Deliveries whose signed timestamp was outside the tolerance.</param>
/// <param name="Oversized">Deliveries larger than the hub accepts.</param>
/// <param name="Malformed">Deliveries the scheme could not read.</param>
/// <param name="LastAcceptedAt">The last accepted delivery, if any.</param>
public sealed record WebhookSourceStats(
    string SourceId, DateTimeOffset Since, DateTimeOffset Until, long Accepted, long Duplicate, long BadSignature, long Stale, long Oversized, long Malformed,
    DateTimeOffset? LastAcceptedAt);

/// <summary>A received webhook event in a list: metadata, never the body.</summary>
/// <param name="Id">The event id (<c>whe_…</c>).</param>
/// <param name="SourceId">The source it came to.</param>
/// <param name="ProjectId">The project.</param>
/// <param name="Scheme">The source's scheme when it was received.</param>
/// <param name="ProviderEventId">The provider's own id of the event (what idempotency is keyed on).</param>
/// <param name="Type">The event type, when the scheme shows one.</param>
/// <param name="ReceivedAt">When the hub received it.</param>
/// <param name="Headers">The headers kept with it: the scheme's own, content type and user agent (never Authorization or cookies).</param>
/// <param name="BodyLength">The raw body's length in bytes.</param>
public sealed record ReceivedWebhookEvent(
    string Id, string SourceId, string ProjectId, string Scheme, string ProviderEventId, string? Type, DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers, long BodyLength);

/// <summary>One received event with its raw body: <see cref="BodyBase64"/> always, <see cref="Body"/> when the bytes are UTF-8 text.</summary>
/// <param name="Id">The event id.</param>
/// <param name="SourceId">The source it came to.</param>
/// <param name="ProjectId">The project.</param>
/// <param name="Scheme">The source's scheme when it was received.</param>
/// <param name="ProviderEventId">The provider's own id of the event.</param>
/// <param name="Type">The event type, when the scheme shows one.</param>
/// <param name="ReceivedAt">When the hub received it.</param>
/// <param name="Headers">The headers kept with it.</param>
/// <param name="BodyLength">The raw body's length in bytes.</param>
/// <param name="BodyBase64">The raw body, base64.</param>
/// <param name="Body">The raw body as text, when it is valid UTF-8.</param>
public sealed record ReceivedWebhookEventDetail(
    string Id, string SourceId, string ProjectId, string Scheme, string ProviderEventId, string? Type, DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers, long BodyLength, string BodyBase64, string? Body)
{
    /// <summary>The raw body's bytes, exactly as the provider sent them.</summary>
    public byte[] DecodeBody() => Convert.FromBase64String(BodyBase64);
}

/// <summary>The events list's filters and page.</summary>
public sealed record WebhookEventQuery
{
    /// <summary>Only events of this source (<c>whs_…</c>).</summary>
    public string? SourceId { get; init; }

    /// <summary>Only events of this type.</summary>
    public string? Type { get; init; }

    /// <summary>Only events received since then.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The page, from 1.</summary>
    public int Page { get; init; } = 1;

    /// <summary>The page size (at most 100).</summary>
    public int PerPage { get; init; } = 20;
}

/// <summary>The answer to a replay: the event was put back on the project's queue.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="Replayed">True.</param>
public sealed record WebhookEventReplay(string EventId, bool Replayed);
