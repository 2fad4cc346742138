namespace Integrations.Core.Identity;

/// <summary>Who changes keys, as the audit log names them (e.g. <c>ApiKey</c>/<c>key_…</c>, <c>Cli</c>/<c>cli:alice</c>).</summary>
public sealed record ApiKeyActor(string Type, string Id);
