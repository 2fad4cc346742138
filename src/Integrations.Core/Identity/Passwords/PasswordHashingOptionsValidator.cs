using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// Cross-field rule of <see cref="PasswordHashingOptions"/>: memory × passes at least OWASP's weakest recommended Argon2id
/// configuration (m = 7 MiB, t = 5; its other rows, 47/1, 19/2, 12/3, 9/4, all lie above it), and no more than a stored hash
/// may ask for (<see cref="PasswordHash.MaxWork"/>), or the hub would write hashes it refuses to read.
/// </summary>
public sealed class PasswordHashingOptionsValidator : IValidateOptions<PasswordHashingOptions>
{
    public ValidateOptionsResult Validate(string? name, PasswordHashingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var work = (long)options.MemoryKiB * options.Iterations;
        if (work < PasswordHashingOptions.MinWork)
        {
            return ValidateOptionsResult.Fail(
                $"Auth:PasswordHashing:MemoryKiB × Auth:PasswordHashing:Iterations is {work}; it must be at least {PasswordHashingOptions.MinWork} " +
                "(OWASP: m=19456 with t=2, m=12288 with t=3, m=9216 with t=4 or m=7168 with t=5).");
        }

        if (work > PasswordHash.MaxWork)
        {
            return ValidateOptionsResult.Fail(
                $"Auth:PasswordHashing:MemoryKiB × Auth:PasswordHashing:Iterations is {work}; it must be at most {PasswordHash.MaxWork} (1 GiB of passes): " +
                "a login must not cost more than that.");
        }

        return ValidateOptionsResult.Success;
    }
}
