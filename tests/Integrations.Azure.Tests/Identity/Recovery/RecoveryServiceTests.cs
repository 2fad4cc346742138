using Azure.Data.Tables;
using Integrations.Azure.Tests.Identity.Users;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Users;

namespace Integrations.Azure.Tests.Identity.Recovery;

/// <summary>Email verification and password reset tokens on Azurite: single use, lifetime, kind, checksum, and what a reset ends.</summary>
public sealed class RecoveryServiceTests
{
    private const string NewPassword = "Lantern-Meadow-Cobalt-58";

    [Fact]
    public async Task VerifyEmail_ValidToken_MarksVerified_AndASecondUseIsRefusedAsUsed()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("vera@example.com");
        var issued = await hub.IssueVerificationAsync(user.Id);

        var first = await hub.Recovery().VerifyEmailAsync(issued.Token);
        var second = await hub.Recovery().VerifyEmailAsync(issued.Token);

        Assert.True(first.IsSuccess);
        Assert.True((await hub.Store.GetAsync(user.Id))!.EmailVerified);
        Assert.Equal(RecoveryErrors.RecoveryTokenUsed, second.Error?.Code);
        Assert.StartsWith(RecoveryToken.VerificationPrefix, issued.Token, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyEmail_After24Hours_IsExpired_AndJustBeforeIsAccepted()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("exp@example.com");
        var late = (await hub.IssueVerificationAsync(user.Id));
        var onTime = (await hub.IssueVerificationAsync(user.Id));

        hub.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var accepted = await hub.Recovery().VerifyEmailAsync(onTime.Token);
        hub.Time.Advance(TimeSpan.FromSeconds(1));
        var refused = await hub.Recovery().VerifyEmailAsync(late.Token);

        Assert.True(accepted.IsSuccess);
        Assert.Equal(RecoveryErrors.RecoveryTokenExpired, refused.Error?.Code);
    }

    [Fact]
    public async Task ConfirmReset_AfterOneHour_IsExpired_AndThePasswordStays()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("late@example.com");
        var reset = (await hub.IssueResetAsync(user.Id));

        hub.Time.Advance(TimeSpan.FromHours(1));
        var refused = await hub.Recovery().ConfirmPasswordResetAsync(reset.Token, NewPassword);

        Assert.Equal(RecoveryErrors.RecoveryTokenExpired, refused.Error?.Code);
        Assert.Equal(user.PasswordHash, (await hub.Store.GetAsync(user.Id))!.PasswordHash);
    }

    [Fact]
    public async Task Tokens_OfTheOtherKind_AreRefused_BothWays()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("kind@example.com");
        var verification = (await hub.IssueVerificationAsync(user.Id));
        var reset = (await hub.IssueResetAsync(user.Id));

        var resetAsVerification = await hub.Recovery().VerifyEmailAsync(reset.Token);
        var verificationAsReset = await hub.Recovery().ConfirmPasswordResetAsync(verification.Token, NewPassword);
        // The same random part under the other prefix (a valid checksum made for it) is still unknown: the kind is in the hash.
        var relabelled = RelabelWithChecksum(reset.Token, RecoveryToken.VerificationPrefix);
        var relabelledAnswer = await hub.Recovery().VerifyEmailAsync(relabelled);

        Assert.Equal(RecoveryErrors.InvalidRecoveryToken, resetAsVerification.Error?.Code);
        Assert.Equal(RecoveryErrors.InvalidRecoveryToken, verificationAsReset.Error?.Code);
        Assert.Equal(RecoveryErrors.InvalidRecoveryToken, relabelledAnswer.Error?.Code);
        Assert.False((await hub.Store.GetAsync(user.Id))!.EmailVerified);
    }

    [Fact]
    public async Task Tokens_WithATamperedCharacterOrChecksum_AreRefusedWithoutBeingUsed()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("tamper@example.com");
        var token = (await hub.IssueVerificationAsync(user.Id)).Token;
        var flipped = token[..10] + (token[10] == 'a' ? 'b' : 'a') + token[11..];
        var badChecksum = token[..^1] + (token[^1] == '0' ? '1' : '0');

        Assert.Equal(RecoveryErrors.InvalidRecoveryToken, (await hub.Recovery().VerifyEmailAsync(flipped)).Error?.Code);
        Assert.Equal(RecoveryErrors.InvalidRecoveryToken, (await hub.Recovery().VerifyEmailAsync(badChecksum)).Error?.Code);
        Assert.Equal(RecoveryErrors.InvalidRecoveryToken, (await hub.Recovery().VerifyEmailAsync(null)).Error?.Code);
        Assert.True((await hub.Recovery().VerifyEmailAsync(token)).IsSuccess);
    }

    [Fact]
    public async Task RequestReset_UnknownAndKnownAddress_ReturnTheSame_AndOnlyTheKnownOneGetsAToken()
    {
        var mail = new RecordingEmailSender();
        await using var hub = await RecoveryHub.StartAsync(mail: mail);
        await hub.SignUpAsync("known@example.com");

        await hub.Recovery().RequestPasswordResetAsync("nobody@example.com");
        await hub.Recovery().RequestPasswordResetAsync("not an address");
        var rowsAfterUnknown = await CountTokenRowsAsync(hub);
        await hub.Recovery().RequestPasswordResetAsync("KNOWN@example.com");

        Assert.Equal(0, rowsAfterUnknown);
        Assert.Equal(1, await CountTokenRowsAsync(hub));
        Assert.Empty(mail.Sent); // Mail is off without Auth:Resend:ApiKey.
    }

    [Fact]
    public async Task RequestReset_TakesAtLeastTheResponseFloor_ForAnUnknownAddress()
    {
        await using var hub = await RecoveryHub.StartAsync(new Dictionary<string, string?> { ["Auth:PasswordResetResponseFloor"] = "00:00:02" });

        var request = hub.Recovery().RequestPasswordResetAsync("nobody@example.com");
        await Task.Delay(200);
        var beforeFloor = request.IsCompleted;
        hub.Time.Advance(TimeSpan.FromSeconds(2));
        await request.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(beforeFloor);
        Assert.True(request.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ConfirmReset_SetsThePassword_EndsEverySession_AndClearsTheLoginLock()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("owner@example.com");
        var tokens = await hub.LoginAsync("owner@example.com");
        // Five failures (the seed's limit) from the owner's own address lock that address out of the account for 15 minutes.
        for (var i = 0; i < 5; i++)
        {
            await hub.Users.LoginAsync("owner@example.com", "Wrong-Password-" + i, UserHub.Source);
        }

        Assert.Equal(UserErrors.LoginThrottled, (await hub.Users.LoginAsync("owner@example.com", UserHub.StrongPassword, UserHub.Source)).Error?.Code);
        var reset = (await hub.IssueResetAsync(user.Id));

        var confirmed = await hub.Recovery().ConfirmPasswordResetAsync(reset.Token, NewPassword);

        Assert.True(confirmed.IsSuccess, confirmed.Error?.Code);
        Assert.Equal(UserErrors.InvalidRefreshToken, (await hub.Users.RefreshAsync(tokens.RefreshToken)).Error?.Code);
        Assert.All(await hub.Store.ListSessionsAsync(user.Id), s => Assert.NotNull(s.RevokedAt));
        var login = await hub.Users.LoginAsync("owner@example.com", NewPassword, UserHub.Source);
        Assert.True(login.IsSuccess, login.Error?.Code);
        Assert.True((await hub.Store.GetAsync(user.Id))!.EmailVerified);
        Assert.Equal(RecoveryErrors.RecoveryTokenUsed, (await hub.Recovery().ConfirmPasswordResetAsync(reset.Token, "Another-Long-Phrase-93")).Error?.Code);
    }

    [Fact]
    public async Task ConfirmReset_AnEarlierResetLink_DiesWhenALaterOneIsUsed()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("twice@example.com");
        var older = (await hub.IssueResetAsync(user.Id));
        var newer = (await hub.IssueResetAsync(user.Id));

        Assert.True((await hub.Recovery().ConfirmPasswordResetAsync(newer.Token, NewPassword)).IsSuccess);
        var stale = await hub.Recovery().ConfirmPasswordResetAsync(older.Token, "Another-Long-Phrase-93");

        Assert.Equal(RecoveryErrors.RecoveryTokenUsed, stale.Error?.Code);
    }

    [Fact]
    public async Task ConfirmReset_AWeakPassword_IsRefusedByThePolicy_AndDoesNotSpendTheToken()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("weak@example.com");
        var reset = (await hub.IssueResetAsync(user.Id));

        var weak = await hub.Recovery().ConfirmPasswordResetAsync(reset.Token, "Password1!");
        var strong = await hub.Recovery().ConfirmPasswordResetAsync(reset.Token, NewPassword);

        Assert.Equal("password-too-common", weak.Error?.Code);
        Assert.True(strong.IsSuccess);
    }

    [Fact]
    public async Task TokenRow_EditedInStorage_ToUndoItsUse_IsRefused()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("forger@example.com");
        var token = (await hub.IssueVerificationAsync(user.Id)).Token;
        Assert.True((await hub.Recovery().VerifyEmailAsync(token)).IsSuccess);
        // The attacker can write the table: they clear UsedAt and push the expiry out, keeping the MAC.
        var table = new TableClient(hub.Services.ConnectionString, hub.Services.Prefix + "recoverytokens");
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.RowKey == "rt"))
        {
            row["UsedAt"] = null;
            row["ExpiresAt"] = hub.Time.GetUtcNow().AddDays(30);
            await table.UpdateEntityAsync(row, global::Azure.ETag.All, TableUpdateMode.Replace);
        }

        var reused = await hub.Recovery().VerifyEmailAsync(token);

        Assert.Equal(RecoveryErrors.InvalidRecoveryToken, reused.Error?.Code);
    }

    [Fact]
    public async Task Logs_NeverHoldATokenOrAPassword()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("quiet@example.com");
        var verification = (await hub.IssueVerificationAsync(user.Id));
        var reset = (await hub.IssueResetAsync(user.Id));
        await hub.Recovery().VerifyEmailAsync(verification.Token);
        await hub.Recovery().VerifyEmailAsync(verification.Token);
        await hub.Recovery().ConfirmPasswordResetAsync(reset.Token, NewPassword);
        await hub.Recovery().RequestPasswordResetAsync("quiet@example.com");

        var lines = hub.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            Assert.DoesNotContain(verification.Token, line, StringComparison.Ordinal);
            Assert.DoesNotContain(reset.Token, line, StringComparison.Ordinal);
            Assert.DoesNotContain(NewPassword, line, StringComparison.Ordinal);
            Assert.DoesNotContain("quiet@example.com", line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ihv_", line, StringComparison.Ordinal);
            Assert.DoesNotContain("ihp_", line, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(reset.Token, reset.ToString(), StringComparison.Ordinal);
    }

    private static async Task<int> CountTokenRowsAsync(UserHub hub)
    {
        var count = 0;
        var table = new TableClient(hub.Services.ConnectionString, hub.Services.Prefix + "recoverytokens");
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.RowKey == "rt"))
        {
            count++;
        }

        return count;
    }

    private static string RelabelWithChecksum(string token, string prefix)
    {
        // Build a well-formed token of the other kind with the same random part: CRC32 recomputed as ChecksummedToken does.
        const string base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var body = prefix + token[4..^6];
        var crc = 0xFFFFFFFFu;
        foreach (var b in System.Text.Encoding.ASCII.GetBytes(body))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        crc ^= 0xFFFFFFFFu;
        var checksum = new char[6];
        for (var i = 5; i >= 0; i--)
        {
            checksum[i] = base62[(int)(crc % 62)];
            crc /= 62;
        }

        return body + new string(checksum);
    }
}
