namespace Integrations.Core.Common;

/// <summary>
/// When the hub warns about something that expires (a vault secret, a provider's client secret): 30, 7 and 1 days
/// before, then once when it has expired. A check that first sees an expiry late names only the nearest threshold
/// passed (a "30 days" warning with 5 days left would mislead), and each threshold is announced at most once.
/// </summary>
public static class ExpiryThresholds
{
    /// <summary>Days before the expiry, largest first.</summary>
    public static IReadOnlyList<int> Days { get; } = [30, 7, 1];

    /// <summary>The nearest threshold (in days) that <paramref name="now"/> has passed before <paramref name="expiresAt"/>; 0 when expired; null when none yet.</summary>
    public static int? Current(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (expiresAt <= now)
        {
            return 0;
        }

        int? passed = null;
        foreach (var days in Days)
        {
            if (expiresAt - now <= TimeSpan.FromDays(days))
            {
                passed = days;
            }
        }

        return passed;
    }
}
