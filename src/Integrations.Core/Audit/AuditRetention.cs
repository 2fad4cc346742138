using Integrations.Core.Common;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Audit;

/// <summary>
/// How long audit records are kept: the platform's <see cref="AuditOptions.Retention"/>, unless an organization has set
/// its own within the platform's bounds (<see cref="AuditOptions.MinimumRetention"/> to <see cref="AuditOptions.MaximumRetention"/>).
/// A stored value outside the bounds (the bounds changed, or someone wrote the row) is clamped, so no organization's
/// records go sooner than the platform minimum.
/// </summary>
public sealed class AuditRetention(ITenancyStore tenancy, IOptions<AuditOptions> options)
{
    /// <summary>The retention of an organization's records, with whether it is the organization's own setting.</summary>
    public async Task<(TimeSpan Retention, bool IsOwn)> ForOrganizationAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var days = await tenancy.GetAuditRetentionDaysAsync(organizationId, cancellationToken).ConfigureAwait(false);
        return days is { } d ? (Clamp(TimeSpan.FromDays(d)), true) : (options.Value.Retention, false);
    }

    /// <summary>The retention of a partition's records: its organization's, or the platform's for the platform log.</summary>
    public async Task<TimeSpan> ForPartitionAsync(string partition, CancellationToken cancellationToken = default) =>
        AuditPartition.OrganizationOf(partition) is { } organizationId
            ? (await ForOrganizationAsync(organizationId, cancellationToken).ConfigureAwait(false)).Retention
            : options.Value.Retention;

    /// <summary>Sets an organization's retention in whole days, or clears it with null; refuses a value outside the platform's bounds.</summary>
    public async Task<Result<TimeSpan>> SetAsync(string organizationId, int? days, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (days is { } d && (d < settings.MinimumRetention.TotalDays || d > settings.MaximumRetention.TotalDays))
        {
            return HubError.Invalid(AuditErrors.RetentionOutOfBounds,
                $"days must be between {settings.MinimumRetention.TotalDays:0} and {settings.MaximumRetention.TotalDays:0} (the platform's bounds), or null for the default.",
                "days");
        }

        await tenancy.SetAuditRetentionDaysAsync(organizationId, days, cancellationToken).ConfigureAwait(false);
        return days is { } set ? TimeSpan.FromDays(set) : settings.Retention;
    }

    private TimeSpan Clamp(TimeSpan retention)
    {
        var settings = options.Value;
        return retention < settings.MinimumRetention ? settings.MinimumRetention : retention > settings.MaximumRetention ? settings.MaximumRetention : retention;
    }
}
