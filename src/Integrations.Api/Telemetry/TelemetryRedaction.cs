using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Integrations.Api.Telemetry;

/// <summary>
/// What leaves the process as telemetry never carries a secret: a query string (OAuth callbacks carry <c>code</c> and
/// <c>state</c>, <c>/v1/auth/verify</c> a <c>token</c>, some providers take API keys there), a request's raw path (a start link
/// or a provider path may hold a token: requests are known by their route template), an outbound URL's path (some providers
/// put a bot token in it), or a header. Applied to every span and log record before any exporter sees it, whichever
/// instrumentation made it (the hub's, ASP.NET Core's, HttpClient's, the Azure SDK's).
/// </summary>
public static class TelemetryRedaction
{
    /// <summary>Attribute names whose value is dropped whole.</summary>
    private static readonly string[] Dropped =
        ["url.query", "url.path", "http.target", "http.request.body", "http.response.body", "db.statement", "enduser.id"];

    /// <summary>Attribute names whose value is a URL: kept as its scheme, host and port only.</summary>
    private static readonly string[] Urls = ["url.full", "http.url", "az.namespace.url"];

    /// <summary>Attribute name prefixes dropped whole: captured headers (they carry credentials and signatures).</summary>
    private static readonly string[] DroppedPrefixes = ["http.request.header.", "http.response.header."];

    /// <summary>True when an attribute of this name is never exported.</summary>
    public static bool IsDropped(string name) =>
        Dropped.Contains(name, StringComparer.Ordinal) || DroppedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>True when an attribute of this name holds a URL that is cut to its origin.</summary>
    public static bool IsUrl(string name) => Urls.Contains(name, StringComparer.Ordinal);

    /// <summary>The origin (<c>scheme://host:port</c>) of <paramref name="value"/>, or a fixed word when it is not an absolute URL.</summary>
    public static string OriginOf(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetLeftPart(UriPartial.Authority)
            : "redacted";

    /// <summary>The hub's span processor: removes what <see cref="TelemetryRedaction"/> names from every span when it ends.</summary>
    public sealed class SpanProcessor : BaseProcessor<System.Diagnostics.Activity>
    {
        public override void OnEnd(System.Diagnostics.Activity data)
        {
            ArgumentNullException.ThrowIfNull(data);
            List<KeyValuePair<string, object?>>? changes = null;
            foreach (var tag in data.TagObjects)
            {
                if (IsDropped(tag.Key))
                {
                    (changes ??= []).Add(new(tag.Key, null));
                }
                else if (IsUrl(tag.Key))
                {
                    (changes ??= []).Add(new(tag.Key, OriginOf(tag.Value as string)));
                }
            }

            if (changes is not null)
            {
                foreach (var (key, value) in changes)
                {
                    // SetTag with null removes the tag.
                    data.SetTag(key, value);
                }
            }

            // A server span is named by its route template, never its path (ASP.NET Core names an unrouted request by its
            // method alone; this holds whatever instrumentation made the span).
            if (data.Kind == System.Diagnostics.ActivityKind.Server)
            {
                var method = data.GetTagItem("http.request.method") as string;
                var route = data.GetTagItem("http.route") as string;
                data.DisplayName = method is null ? (route ?? data.OperationName) : route is null ? method : method + " " + route;
            }
        }
    }

    /// <summary>The hub's log processor: a log record's attributes get the same treatment as a span's; a URL-looking value loses its query.</summary>
    public sealed class LogProcessor : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (data.Attributes is not { Count: > 0 } attributes)
            {
                return;
            }

            List<KeyValuePair<string, object?>>? kept = null;
            for (var i = 0; i < attributes.Count; i++)
            {
                var (key, value) = attributes[i];
                var replacement = IsDropped(key) || key.Contains("query", StringComparison.OrdinalIgnoreCase) ? (object?)"redacted"
                    : IsUrl(key) || key.Equals("Uri", StringComparison.OrdinalIgnoreCase) || key.Equals("Url", StringComparison.OrdinalIgnoreCase) ? OriginOf(value?.ToString())
                    : value;
                if (!ReferenceEquals(replacement, value) && kept is null)
                {
                    kept = [.. attributes.Take(i)];
                }

                kept?.Add(new(key, replacement));
            }

            if (kept is not null)
            {
                data.Attributes = kept;
                // The formatted message was rendered from the original values: it goes with them.
                data.FormattedMessage = null;
            }
        }
    }
}
