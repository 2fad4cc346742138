using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Integrations.Core.Webhooks.Schemes;

/// <summary>
/// Imported ECDSA public keys by their text, each kept as a small pool of instances. Importing a key (ASN.1 parsing and the
/// check that the point lies on the curve) costs about as much as a verification, so SendGrid's scheme would otherwise pay it
/// on every delivery; and an <see cref="ECDsa"/> is not documented as safe for concurrent <c>VerifyData</c>, so one instance
/// is leased to one verification at a time instead of being shared. A public key is no secret, so its text may be a
/// dictionary key; a key that does not import is not cached (junk must not fill the cache).
/// </summary>
internal sealed class ImportedKeyPool(Func<string, ECDsa?> import)
{
    /// <summary>More distinct keys than this and the cache starts over (a source has one or two; many means churn or abuse).</summary>
    private const int MaxKeys = 1024;

    /// <summary>Idle instances kept per key: more than this many verifications at once for one key import extra ones.</summary>
    private static readonly int MaxIdlePerKey = Math.Max(2, Environment.ProcessorCount);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<ECDsa>> _pools = new(StringComparer.Ordinal);

    /// <summary>An instance for <paramref name="keyText"/>, to be disposed (returned) after one verification; its key is null when the text is no usable key.</summary>
    public Lease Rent(string keyText)
    {
        if (_pools.TryGetValue(keyText, out var pool) && pool.TryDequeue(out var idle))
        {
            return new Lease(idle, pool);
        }

        var imported = import(keyText);
        if (imported is null)
        {
            return default;
        }

        if (pool is null)
        {
            if (_pools.Count >= MaxKeys)
            {
                // Instances idle in the dropped pools are left to their finalizers: a rare event, not worth a race with renters.
                _pools.Clear();
            }

            pool = _pools.GetOrAdd(keyText, static _ => new ConcurrentQueue<ECDsa>());
        }

        return new Lease(imported, pool);
    }

    /// <summary>One instance taken out of a pool; <see cref="Dispose"/> puts it back (or disposes it when the pool is full).</summary>
    internal readonly struct Lease(ECDsa? key, ConcurrentQueue<ECDsa>? pool) : IDisposable
    {
        public ECDsa? Key { get; } = key;

        public void Dispose()
        {
            if (Key is null)
            {
                return;
            }

            if (pool is not null && pool.Count < MaxIdlePerKey)
            {
                pool.Enqueue(Key);
            }
            else
            {
                Key.Dispose();
            }
        }
    }
}
