using Integrations.Core.Common;

namespace Integrations.Core.Identity.Organizations;

/// <summary>
/// Serialises, per organization and across instances, the changes that can take an Owner away: demoting or removing an
/// Owner, and deleting a person who is one. Each checks "another Owner remains" and then writes; two of them at once (two
/// owners demoting each other) would each see the other still an Owner and leave none. Under this lock the second reads
/// what the first wrote. Changes that add Owners need no lock: a check that misses a new Owner only refuses more.
/// </summary>
/// <remarks>
/// A blob lease (<see cref="IDistributedLock"/>) rather than an ETag on a row of the organization's index partition: the
/// check reads several rows and the write changes others, and a conditional batch over them is what Azurite does not
/// enforce (it ignores If-Match inside a batch), so it could not be tested here.
/// </remarks>
public sealed class OwnerChangeLock(IDistributedLock locks, TimeProvider time)
{
    /// <summary>How long a change waits for another change of the same organization's Owners before giving up (409).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>The organization's owner lock, or null when another change held it for all of <see cref="Wait"/>.</summary>
    public async Task<ILockHandle?> AcquireAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var deadline = time.GetUtcNow() + Wait;
        while (true)
        {
            if (await locks.TryAcquireAsync("org-owners-" + organizationId, cancellationToken).ConfigureAwait(false) is { } held)
            {
                return held;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
