using Integrations.Core.Common;
using Integrations.Core.OAuth;

namespace Integrations.Core.Connections;

/// <summary>A provider is in use while any connection of its project names it: deleting it would strand them (409).</summary>
public sealed class ConnectionProviderUsage(IConnectionStore connections) : IProviderUsage
{
    public async Task<bool> IsInUseAsync(string organizationId, string projectId, string providerId, CancellationToken cancellationToken = default)
    {
        for (var page = 1; ; page++)
        {
            var list = await connections.ListAsync(organizationId, projectId, new ConnectionQuery(new PageRequest(page, PageRequest.MaxPerPage)), cancellationToken)
                .ConfigureAwait(false);
            if (list.Items.Any(c => string.Equals(c.ProviderId, providerId, StringComparison.Ordinal)))
            {
                return true;
            }

            if ((long)page * PageRequest.MaxPerPage >= list.Total || list.Items.Count == 0)
            {
                return false;
            }
        }
    }
}
