namespace Integrations.Client;

/// <summary>One page of a list: <see cref="Data"/> and where it sits (<see cref="Pagination"/>).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, Pagination Pagination);

/// <summary>The position of a page: its number (from 1), its size, and the totals.</summary>
public sealed record Pagination(int Page, int PerPage, long Total, long TotalPages);
