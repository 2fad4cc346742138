using Integrations.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Http;

public sealed record Pagination(int Page, int PerPage, long Total, long TotalPages);

/// <summary>Every list: <c>{data, pagination{page, per_page, total, total_pages}}</c>.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Data, Pagination Pagination);

/// <summary>JSON results in the API's shape (<see cref="ApiJson"/>).</summary>
public static class Responses
{
    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, ApiJson.Options, statusCode: status);

    public static IResult Page<TSource, T>(PagedList<TSource> page, Func<TSource, T> map)
    {
        ArgumentNullException.ThrowIfNull(page);
        return Json(new ListResponse<T>(page.Items.Select(map).ToList(), new Pagination(page.Request.Page, page.Request.PerPage, page.Total, page.TotalPages)));
    }
}
