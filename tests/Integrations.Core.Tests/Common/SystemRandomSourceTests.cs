using Integrations.Core.Common;
using Integrations.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Core.Tests.Common;

public sealed class SystemRandomSourceTests
{
    [Fact]
    public void Next_ManyDraws_StayInRangeAndCoverIt()
    {
        var seen = new HashSet<int>();

        for (var i = 0; i < 1000; i++)
        {
            seen.Add(SystemRandomSource.Instance.Next(1, 5));
        }

        Assert.Equal([1, 2, 3, 4], seen.Order());
    }

    [Fact]
    public void NextDouble_ManyDraws_StayBelowOne()
    {
        var draws = Enumerable.Range(0, 1000).Select(_ => SystemRandomSource.Instance.NextDouble()).ToList();

        Assert.All(draws, d => Assert.InRange(d, 0.0, 0.9999999999));
        Assert.True(draws.Distinct().Count() > 990);
    }

    [Fact]
    public void NewGuid_IsARandomVersion4Guid()
    {
        var first = SystemRandomSource.Instance.NewGuid();
        var second = SystemRandomSource.Instance.NewGuid();

        Assert.Equal(4, first.Version);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void AddIntegrationsCore_RegistersSystemRandomSource_UnlessOneIsRegisteredFirst()
    {
        var fixedSource = new FixedRandomSource();
        var defaults = new ServiceCollection().AddIntegrationsCore();
        var replaced = new ServiceCollection().AddSingleton<IRandomSource>(fixedSource).AddIntegrationsCore();

        Assert.Same(SystemRandomSource.Instance, defaults.Single(d => d.ServiceType == typeof(IRandomSource)).ImplementationInstance);
        Assert.Same(fixedSource, replaced.Single(d => d.ServiceType == typeof(IRandomSource)).ImplementationInstance);
    }

    private sealed class FixedRandomSource : IRandomSource
    {
        public int Next(int minValue, int maxValue) => minValue;

        public double NextDouble() => 0;

        public Guid NewGuid() => Guid.Empty;
    }
}
