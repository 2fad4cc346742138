using Integrations.Core.Crypto;

namespace Integrations.Azure.Tests.Services;

public sealed class KeyRingTests
{
    [Fact]
    public async Task Initialize_ManyInstancesAtOnce_AgreeOnOneActiveKek()
    {
        var first = await HubServices.StartAsync();
        var rootKey = first.Get<Microsoft.Extensions.Options.IOptions<KeyWrappingOptions>>().Value.RootKey;
        var instances = new List<HubServices> { first };
        for (var i = 0; i < 5; i++)
        {
            instances.Add(await HubServices.StartAsync(first.Prefix, rootKey));
        }

        try
        {
            var actives = await Task.WhenAll(instances.Select(async h => (await h.Get<KeyRing>().GetActiveAsync()).Id));

            Assert.Single(actives.Distinct(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Initialize_WithAnotherRootKey_FailsClearly()
    {
        await using var first = await HubServices.StartAsync();
        await first.Get<KeyRing>().InitializeAsync();
        await using var wrongRoot = await HubServices.StartAsync(first.Prefix, HubServices.NewRootKey());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => wrongRoot.Get<KeyRing>().InitializeAsync());

        Assert.Contains("KeyWrapping:PreviousRootKeys", error.Message, StringComparison.Ordinal);
    }
}
