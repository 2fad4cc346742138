namespace Integrations.Core.Connections;

/// <summary>Where an <see cref="InjectedCredential"/> goes in an outbound request.</summary>
public enum CredentialTarget
{
    Header,
    Query,
}

/// <summary>
/// What to add to an outbound request to authenticate it: a header (<c>Authorization: Bearer …</c>, <c>Basic …</c>, an
/// API key header) or a query parameter. <see cref="Value"/> is a credential: <see cref="ToString"/> never shows it, so
/// a log line or an exception that prints the record leaks nothing.
/// </summary>
public sealed record InjectedCredential(CredentialTarget Target, string Name, string Value)
{
    public override string ToString() => $"InjectedCredential {{ Target = {Target}, Name = {Name}, Value = (redacted) }}";
}
