using Integrations.Core.Common;

namespace Integrations.Core.Events;

/// <summary>A page of a project's events, newest first, optionally of one type and since a time.</summary>
public sealed record ActivityQuery(PageRequest Page, string? Type = null, DateTimeOffset? Since = null);
