using Integrations.Core.Identity.Lockout;

namespace Integrations.Core.Tests.Identity.Lockout;

public sealed class LoginFailuresTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    [Fact]
    public void ReleasedIn_FewerThanTheLimit_IsNull()
    {
        var failures = new LoginFailures([Start, Start.AddMinutes(1)]);

        Assert.Null(failures.ReleasedIn(3, Window, Start.AddMinutes(2)));
    }

    [Fact]
    public void ReleasedIn_ExactlyTheLimit_WaitsForTheOldestToLeave()
    {
        var failures = new LoginFailures([Start, Start.AddMinutes(1), Start.AddMinutes(2)]);

        Assert.Equal(TimeSpan.FromMinutes(12), failures.ReleasedIn(3, Window, Start.AddMinutes(3)));
    }

    [Fact]
    public void ReleasedIn_MoreThanTheLimit_WaitsUntilFewerThanTheLimitAreLeft()
    {
        // Two concurrent attempts both passed the check at 2 of 3 and both failed: 4 counted, 2 must leave.
        var failures = new LoginFailures([Start, Start.AddMinutes(1), Start.AddMinutes(2), Start.AddMinutes(2)]);

        Assert.Equal(TimeSpan.FromMinutes(13), failures.ReleasedIn(3, Window, Start.AddMinutes(3)));
    }
}
