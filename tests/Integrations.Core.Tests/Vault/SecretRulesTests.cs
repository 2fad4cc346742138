using Integrations.Core.Common;
using Integrations.Core.Vault;

namespace Integrations.Core.Tests.Vault;

public sealed class SecretRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("STRIPE_API.key-2", true)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    [InlineData("semi;colon", false)]
    [InlineData("tilde~", false)]
    [InlineData("é", false)]
    public void IsValidName_FollowsTheCharacterSet(string name, bool valid) => Assert.Equal(valid, SecretRules.IsValidName(name));

    [Fact]
    public void IsValidName_LengthLimitIs128() =>
        Assert.Equal((true, false), (SecretRules.IsValidName(new string('a', 128)), SecretRules.IsValidName(new string('a', 129))));

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(2, 100, true)]
    [InlineData(0, 20, false)]
    [InlineData(1, 101, false)]
    [InlineData(1, 0, false)]
    public void PageRequest_Bounds(int? page, int? perPage, bool valid) => Assert.Equal(valid, PageRequest.Create(page, perPage).IsSuccess);

    [Fact]
    public void PagedList_TotalPages_RoundsUp()
    {
        var page = new PageRequest(1, 3).Apply(Enumerable.Range(0, 7).ToList());

        Assert.Equal((3L, 7L, 3), (page.TotalPages, page.Total, page.Items.Count));
    }
}
