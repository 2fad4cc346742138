namespace Integrations.Core.Identity.Passwords;

/// <summary>Argon2id cost parameters (RFC 9106 §3.1): memory in KiB (m), passes (t), lanes (p).</summary>
public readonly record struct Argon2idParameters(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>True when any parameter is below <paramref name="current"/>'s: a hash made with these is weaker than today's.</summary>
    public bool IsWeakerThan(Argon2idParameters current) =>
        MemoryKiB < current.MemoryKiB || Iterations < current.Iterations || Parallelism < current.Parallelism;

    public override string ToString() => $"m={MemoryKiB},t={Iterations},p={Parallelism}";
}
