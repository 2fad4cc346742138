using System.Diagnostics.CodeAnalysis;

namespace Integrations.Core.Webhooks;

/// <summary>
/// The request headers as received, names case-insensitive, every value kept: a header sent twice is not merged, so a
/// scheme can refuse it (two signature headers are an attacker's way to smuggle a second, unchecked value).
/// </summary>
public sealed class WebhookHeaders
{
    private readonly Dictionary<string, string[]> _headers;

    public WebhookHeaders(IEnumerable<KeyValuePair<string, string[]>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            _headers[name] = _headers.TryGetValue(name, out var existing) ? [.. existing, .. values] : values;
        }
    }

    /// <summary>Every header name present.</summary>
    public IEnumerable<string> Names => _headers.Keys;

    public bool Contains(string name) => _headers.ContainsKey(name);

    /// <summary>Every value of <paramref name="name"/> (empty when absent).</summary>
    public IReadOnlyList<string> GetAll(string name) => _headers.TryGetValue(name, out var values) ? values : [];

    /// <summary>
    /// The single value of <paramref name="name"/>: <see cref="WebhookRefusal.MissingHeader"/> when absent or empty,
    /// <see cref="WebhookRefusal.DuplicateHeader"/> when sent more than once.
    /// </summary>
    public bool TryGetSingle(string name, [NotNullWhen(true)] out string? value, out WebhookVerification? refusal)
    {
        value = null;
        refusal = null;
        if (!_headers.TryGetValue(name, out var values) || values.Length == 0 || (values.Length == 1 && string.IsNullOrEmpty(values[0])))
        {
            refusal = WebhookVerification.Refuse(WebhookRefusal.MissingHeader, $"The {name} header is missing.");
            return false;
        }

        if (values.Length > 1)
        {
            refusal = WebhookVerification.Refuse(WebhookRefusal.DuplicateHeader, $"The {name} header was sent more than once.");
            return false;
        }

        value = values[0];
        return true;
    }
}
