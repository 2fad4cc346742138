using Integrations.Core.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Core.Tests.OutboundWebhooks;

/// <summary>The cache under the endpoint directory stays bounded: past its limit of live entries a new key is loaded, not kept.</summary>
public sealed class EndpointCacheBoundTests
{
    [Fact]
    public async Task GetOrLoad_PastMaxEntries_LoadsWithoutKeeping_UntilEntriesExpire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cache = new ExpiringCache<int>(time, TimeSpan.FromSeconds(5), maxEntries: 2);
        var loads = 0;
        Task<int> Load(string key, CancellationToken ct) => Task.FromResult(Interlocked.Increment(ref loads));

        await cache.GetOrLoadAsync("a", Load, _ => true, default);
        await cache.GetOrLoadAsync("b", Load, _ => true, default);
        await cache.GetOrLoadAsync("c", Load, _ => true, default);
        await cache.GetOrLoadAsync("c", Load, _ => true, default);
        await cache.GetOrLoadAsync("a", Load, _ => true, default);
        var beforeExpiry = loads;
        time.Advance(TimeSpan.FromSeconds(5));
        await cache.GetOrLoadAsync("c", Load, _ => true, default);
        await cache.GetOrLoadAsync("c", Load, _ => true, default);

        // a and b kept (a's second read is warm); c loaded on every call while the cache was full.
        Assert.Equal(4, beforeExpiry);
        // Once the full entries expired, c is kept: one load for two calls.
        Assert.Equal(5, loads);
    }
}
