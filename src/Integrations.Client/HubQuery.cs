using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Integrations.Client;

/// <summary>What the typed clients share to build a request: required arguments, the page query, optional query members.</summary>
internal static class HubQuery
{
    /// <summary><paramref name="value"/>, or an <see cref="ArgumentException"/> naming the parameter when it is null or empty.</summary>
    public static string Required(string value, [CallerArgumentExpression(nameof(value))] string? parameter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, parameter);
        return value;
    }

    /// <summary><c>?page=…&amp;per_page=…</c>, the query every list of the hub takes (<c>per_page</c> at most 100).</summary>
    public static StringBuilder Page(string path, int page, int perPage) =>
        new StringBuilder(path).Append(CultureInfo.InvariantCulture, $"?page={page}&per_page={perPage}");

    /// <summary>Appends <c>&amp;name=value</c> (escaped) when <paramref name="value"/> is set.</summary>
    public static StringBuilder Append(this StringBuilder path, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            path.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return path;
    }

    /// <summary>Appends <c>&amp;name=</c> an ISO 8601 instant (UTC, as the hub parses it) when <paramref name="value"/> is set.</summary>
    public static StringBuilder Append(this StringBuilder path, string name, DateTimeOffset? value) =>
        path.Append(name, value?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));

    /// <summary><c>?since=…</c> alone, or nothing.</summary>
    public static string Since(string path, DateTimeOffset? since) =>
        since is { } value ? path + "?since=" + Uri.EscapeDataString(value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)) : path;
}
