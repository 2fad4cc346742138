namespace Integrations.Core.Common;

/// <summary>One page of items and the total across all pages.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, PageRequest Request, long Total)
{
    public long TotalPages => Total == 0 ? 0 : (Total + Request.PerPage - 1) / Request.PerPage;
}
