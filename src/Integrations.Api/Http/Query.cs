using System.Globalization;
using Integrations.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Http;

/// <summary>Query-string parameters: parsed strictly, with the parameter named in the error.</summary>
public static class Query
{
    public static Result<PageRequest> Page(HttpRequest request)
    {
        var page = WholeNumber(request, "page");
        if (!page.IsSuccess)
        {
            return page.Error;
        }

        var perPage = WholeNumber(request, "per_page");
        return perPage.IsSuccess ? PageRequest.Create(page.Value, perPage.Value) : perPage.Error;
    }

    public static Result<int?> WholeNumber(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return Result.Success<int?>(null);
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? Result.Success<int?>(value)
            : HubError.Invalid(ApiProblems.InvalidQuery, $"{name} must be a whole number.", name);
    }

    public static Result<DateTimeOffset?> Time(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return Result.Success<DateTimeOffset?>(null);
        }

        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? Result.Success<DateTimeOffset?>(value)
            : HubError.Invalid(ApiProblems.InvalidQuery, $"{name} must be an ISO 8601 date and time.", name);
    }

    public static Result<bool> Flag(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        return raw switch
        {
            "" or "false" => false,
            "true" => true,
            _ => HubError.Invalid(ApiProblems.InvalidQuery, $"{name} must be true or false.", name),
        };
    }
}
