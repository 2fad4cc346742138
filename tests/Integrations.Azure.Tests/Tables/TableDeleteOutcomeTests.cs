using Azure;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Common;
using Integrations.Testing;

namespace Integrations.Azure.Tests.Tables;

/// <summary>
/// Deletes against Azurite report what happened: the Tables SDK answers the delete of a missing entity with its 404 response
/// instead of throwing, and a delete that read as written there let two consumers of one single-use row both take it
/// (the invitation store's case is in <c>InvitationServiceTests</c>).
/// </summary>
public sealed class TableDeleteOutcomeTests
{
    [Fact]
    public async Task TryDelete_TheSameRowTwiceWithTheETagItWasReadWith_TheSecondIsNotFound()
    {
        var table = await NewTableAsync();
        var etag = (await table.AddEntityAsync(new TableEntity("p", "once"))).Headers.ETag!.Value;

        var first = await TableWrites.TryDeleteAsync(table, "p", "once", etag, CancellationToken.None);
        var second = await TableWrites.TryDeleteAsync(table, "p", "once", etag, CancellationToken.None);

        Assert.Equal(WriteOutcome.Written, first);
        Assert.Equal(WriteOutcome.NotFound, second);
    }

    [Fact]
    public async Task TryDelete_AChangedRow_IsAConflictAndTheRowStays()
    {
        var table = await NewTableAsync();
        var read = (await table.AddEntityAsync(new TableEntity("p", "row"))).Headers.ETag!.Value;
        await table.UpdateEntityAsync(new TableEntity("p", "row") { ["Changed"] = true }, ETag.All, TableUpdateMode.Merge);

        var outcome = await TableWrites.TryDeleteAsync(table, "p", "row", read, CancellationToken.None);

        Assert.Equal(WriteOutcome.Conflict, outcome);
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("p", "row")).HasValue);
    }

    [Fact]
    public async Task GroupCommit_ALoneDeleteOfAMissingRow_IsNotFound()
    {
        var table = await NewTableAsync();
        var commit = new TableGroupCommit(table);

        var outcome = await commit.WriteAsync("p", [new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("p", "never"), ETag.All)], 0,
            CancellationToken.None);

        Assert.Equal(WriteOutcome.NotFound, outcome);
    }

    private static async Task<TableClient> NewTableAsync()
    {
        var azurite = await AzuriteInstance.Shared;
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("del" + AzuriteInstance.NewPrefix());
        await table.CreateAsync();
        return table;
    }
}
