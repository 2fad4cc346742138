namespace Integrations.Core.Webhooks;

/// <summary>Every registered <see cref="IWebhookScheme"/> by name, and the sniffing the project-level ingress route uses.</summary>
public sealed class WebhookSchemeRegistry
{
    private readonly Dictionary<string, IWebhookScheme> _schemes;

    public WebhookSchemeRegistry(IEnumerable<IWebhookScheme> schemes)
    {
        ArgumentNullException.ThrowIfNull(schemes);
        _schemes = schemes.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Names => _schemes.Keys;

    public IWebhookScheme? Find(string name) => _schemes.GetValueOrDefault(name);

    /// <summary>The names of the schemes whose signature headers <paramref name="headers"/> carry (none, one, or — ambiguous — several).</summary>
    public IReadOnlyList<string> Recognize(WebhookHeaders headers) =>
        _schemes.Values.Where(s => s.Recognizes(headers)).Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
}
