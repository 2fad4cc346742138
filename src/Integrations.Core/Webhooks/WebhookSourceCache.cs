using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Webhooks;

/// <summary>
/// This instance's cache of what the ingress routes read per delivery: a source with its unsealed keys (by source id) and a
/// project's sources (by project id, for sniffing). Entries live <see cref="WebhookSourceOptions.SourceCacheDuration"/>;
/// <see cref="WebhookSourceService"/> removes a source's entries after every change it writes, so this instance never
/// serves a stale source. Other instances serve theirs until it expires. Loads are shared: a burst of deliveries to a
/// source whose entry expired reads storage once.
/// </summary>
public sealed class WebhookSourceCache(TimeProvider time, IOptions<WebhookSourceOptions> options)
{
    internal ExpiringCache<CachedWebhookSource> Sources { get; } = new(time, options.Value.SourceCacheDuration);

    internal ExpiringCache<IReadOnlyList<WebhookSource>> Projects { get; } = new(time, options.Value.SourceCacheDuration);

    /// <summary>Forgets <paramref name="source"/> (by id) and its project's list: the next read goes to storage.</summary>
    public void Invalidate(WebhookSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Sources.Remove(source.Id);
        Projects.Remove(source.ProjectId);
    }
}

/// <summary>A source as loaded for ingress: null when storage has none (never kept), with every key still accepted when loaded.</summary>
internal sealed record CachedWebhookSource(WebhookSource? Source, IReadOnlyList<WebhookSigningKey> Keys)
{
    public static CachedWebhookSource Missing { get; } = new(null, []);

    public override string ToString() => $"CachedWebhookSource {{ Source = {Source?.Id}, Keys = {Keys.Count} }}";
}

/// <summary>
/// Values by key for a fixed time, each loaded once however many callers ask at once. A failed load is not kept. With a zero
/// duration nothing is kept and every call loads. Past <c>maxEntries</c> live entries a new key is loaded without being kept.
/// </summary>
internal sealed class ExpiringCache<T>(TimeProvider time, TimeSpan duration, int maxEntries = int.MaxValue)
{
    // Past this many entries, expired ones are swept on the next insert (entries of sources deleted on other instances).
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<T> GetOrLoadAsync(string key, Func<string, CancellationToken, Task<T>> load, Func<T, bool> keep, CancellationToken cancellationToken)
    {
        if (duration <= TimeSpan.Zero)
        {
            return await load(key, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        if (!_entries.TryGetValue(key, out var entry) || entry.ExpiresAt <= now)
        {
            if (entry is null && _entries.Count >= maxEntries)
            {
                Sweep(now);
                if (_entries.Count >= maxEntries)
                {
                    return await load(key, cancellationToken).ConfigureAwait(false);
                }
            }

            var fresh = new Entry(now + duration);
            entry = entry is null ? _entries.GetOrAdd(key, fresh) : _entries.TryUpdate(key, fresh, entry) ? fresh : _entries.GetOrAdd(key, fresh);
            if (ReferenceEquals(entry, fresh))
            {
                if (_entries.Count > SweepThreshold)
                {
                    Sweep(now);
                }

                // The shared load must not stop because the first caller gave up: it runs without that caller's token.
                fresh.Start(() => load(key, CancellationToken.None));
                _ = ForgetUnlessKeptAsync(key, fresh, keep);
            }
        }

        return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    private async Task ForgetUnlessKeptAsync(string key, Entry entry, Func<T, bool> keep)
    {
        try
        {
            if (keep(await entry.Value.ConfigureAwait(false)))
            {
                return;
            }
        }
#pragma warning disable CA1031 // The caller that awaits the load sees its exception; here it only decides what is kept.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed class Entry(DateTimeOffset expiresAt)
    {
        private readonly TaskCompletionSource<T> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public Task<T> Value => _value.Task;

        public void Start(Func<Task<T>> load) => _ = RunAsync(load);

        private async Task RunAsync(Func<Task<T>> load)
        {
            try
            {
                _value.TrySetResult(await load().ConfigureAwait(false));
            }
#pragma warning disable CA1031 // Handed to every waiter through the task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _value.TrySetException(ex);
            }
        }
    }
}
