using System.Collections.Concurrent;
using Integrations.Azure.Tests.Identity.Users;
using Integrations.Core.Identity.Recovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Azure.Tests.Identity.Recovery;

/// <summary>
/// <see cref="UserHub"/> with recovery and admin services, cheap Argon2id parameters (7 MiB × 5 passes, the validator's
/// floor), no response floor (a fake clock would hold it forever), and a recording mail sender.
/// </summary>
internal static class RecoveryHub
{
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:PasswordHashing:MemoryKiB"] = "7168",
            ["Auth:PasswordHashing:Iterations"] = "5",
            ["Auth:PasswordResetResponseFloor"] = "00:00:00",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Task<UserHub> StartAsync(IDictionary<string, string?>? settings = null, string? prefix = null, string? rootKey = null, RecordingEmailSender? mail = null) =>
        UserHub.StartAsync(prefix, rootKey, Settings(settings), s =>
        {
            s.AddIntegrationsRecovery();
            if (mail is not null)
            {
                s.Replace(ServiceDescriptor.Singleton<IEmailSender>(mail));
            }
        });

    public static RecoveryService Recovery(this UserHub hub) => hub.Services.Get<RecoveryService>();

    public static async Task<IssuedRecoveryToken> IssueVerificationAsync(this UserHub hub, string userId)
    {
        var issued = await hub.Recovery().IssueVerificationAsync(userId);
        Assert.True(issued.IsSuccess, issued.Error?.Code);
        return issued.Value!;
    }

    public static async Task<IssuedRecoveryToken> IssueResetAsync(this UserHub hub, string userId)
    {
        var issued = await hub.Recovery().IssuePasswordResetAsync(userId);
        Assert.True(issued.IsSuccess, issued.Error?.Code);
        return issued.Value!;
    }
}

/// <summary>Records what the hub would mail (and the API key it would use).</summary>
internal sealed class RecordingEmailSender : IEmailSender
{
    public ConcurrentQueue<(EmailMessage Message, string ApiKey)> Sent { get; } = new();

    public Task<bool> SendAsync(EmailMessage message, string apiKey, CancellationToken cancellationToken = default)
    {
        Sent.Enqueue((message, apiKey));
        return Task.FromResult(true);
    }
}
