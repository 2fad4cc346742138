using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// Makes the hasher's dummy hash at start. It is made on first use otherwise, and then the first login for an unknown
/// address would cost two Argon2id computations where a wrong password costs one: a timing difference an attacker could
/// see once per instance start.
/// </summary>
public sealed class PasswordHasherWarmUp(IPasswordHasher hasher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        // Off the start-up thread: tens of milliseconds of CPU, and the host waits for it, so no login comes first.
        Task.Run(() => hasher.VerifyAgainstDummy(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
