namespace Integrations.Core.Common;

/// <summary>A 1-based page request; <c>per_page</c> is at most <see cref="MaxPerPage"/>.</summary>
public readonly record struct PageRequest(int Page, int PerPage)
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;

    public static PageRequest Default => new(1, DefaultPerPage);

    /// <summary>How many items precede the page; long, so a huge page number cannot wrap around to an early page.</summary>
    public long Skip => ((long)Page - 1) * PerPage;

    public static Result<PageRequest> Create(int? page, int? perPage)
    {
        var p = page ?? 1;
        var pp = perPage ?? DefaultPerPage;
        if (p < 1)
        {
            return HubError.Invalid(CommonErrors.InvalidPage, "page must be 1 or more.", "page");
        }

        if (pp is < 1 or > MaxPerPage)
        {
            return HubError.Invalid(CommonErrors.InvalidPage, $"per_page must be between 1 and {MaxPerPage}.", "per_page");
        }

        return new PageRequest(p, pp);
    }

    public PagedList<T> Apply<T>(IReadOnlyCollection<T> all) =>
        new(Skip >= all.Count ? [] : all.Skip((int)Skip).Take(PerPage).ToList(), this, all.Count);
}
