using System.Globalization;
using Integrations.Core.Identity.Recovery;

namespace Integrations.Core.Integrity;

// Recovery tokens: the rows that decide which email-verification and password-reset links work.
public sealed partial class AuthorityRows
{
    /// <summary>The MAC domain of a recovery-token row: its purpose, user, address, stamp, lifetime and whether it was used.</summary>
    public const string RecoveryTokenKind = "recovery-token/v1";

    /// <summary>The MAC of a recovery-token row (the hash comes from the row's partition key).</summary>
    public async ValueTask<string> SignAsync(RecoveryTokenRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(RecoveryTokenKind, Fields(record));
    }

    /// <summary>True when <paramref name="mac"/> covers the record's fields as they are.</summary>
    public async ValueTask<bool> VerifyAsync(RecoveryTokenRecord record, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(RecoveryTokenKind, Fields(record), mac);
    }

    private static string?[] Fields(RecoveryTokenRecord record) =>
    [
        record.LookupHash, record.Purpose.ToString(), record.UserId, record.EmailLookupKey, record.SecurityStamp,
        record.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), record.ExpiresAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
        record.UsedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture),
    ];
}
