using Integrations.Core.Common;

namespace Integrations.Core.Vault;

/// <summary>Filters of a secret list.</summary>
public sealed record SecretQuery(string? NamePrefix, string? Tag, bool Deleted, PageRequest Page, string? AuthType = null);
