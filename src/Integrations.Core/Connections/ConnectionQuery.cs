using Integrations.Core.Common;

namespace Integrations.Core.Connections;

/// <summary>A page of a project's connections, optionally only an end user's.</summary>
public sealed record ConnectionQuery(PageRequest Page, string? EndUserId = null);
