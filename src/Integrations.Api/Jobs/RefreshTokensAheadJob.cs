using Cronos;
using Integrations.Core.OAuth.Tokens;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>
/// Renews the OAuth tokens that fall due before the job's next run (<c>OAuth:RefreshAheadSchedule</c>), so no caller
/// waits on a refresh; see <see cref="RefreshAheadService"/>.
/// </summary>
public sealed class RefreshTokensAheadJob(RefreshAheadService refreshAhead, IOptions<RefreshAheadOptions> options, TimeProvider time)
{
    /// <summary>Covers the run's own duration: a token due just after the next occurrence would otherwise wait a whole period.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public Task<RefreshAheadService.Outcome> RunAsync(CancellationToken cancellationToken = default) =>
        refreshAhead.RunAsync(Until(options.Value.RefreshAheadSchedule, time.GetUtcNow()), cancellationToken);

    /// <summary>The next occurrence of <paramref name="schedule"/> after <paramref name="now"/>, plus a margin.</summary>
    public static DateTimeOffset Until(string schedule, DateTimeOffset now)
    {
        var next = CronExpression.Parse(schedule, CronFormat.IncludeSeconds).GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc);
        return (next is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : now) + Margin;
    }
}
