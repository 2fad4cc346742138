namespace Integrations.Core.Counters;

/// <summary>What a set of counters belongs to: a subject (a connection, a webhook source) inside a tenant's project.</summary>
/// <param name="OrganizationId">The tenant: counters are stored under it, so one tenant's reads never touch another's rows.</param>
/// <param name="ProjectId">The project.</param>
/// <param name="Subject">The counted object's id (<c>conn_…</c>, <c>whs_…</c>).</param>
public readonly record struct CounterKey(string OrganizationId, string ProjectId, string Subject);
