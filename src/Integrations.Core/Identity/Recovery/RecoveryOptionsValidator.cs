using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Recovery;

/// <summary>Cross-field rules of <see cref="RecoveryOptions"/>: what events and mail need, and URLs that are absolute http(s).</summary>
public sealed class RecoveryOptionsValidator : IValidateOptions<RecoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, RecoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckUrl(options.SiteUrl, "Auth:SiteUrl", failures);
        CheckUrl(options.CallbackRedirectUrl, "Auth:CallbackRedirectUrl", failures);
        CheckUrl(options.Resend.BaseUrl, "Auth:Resend:BaseUrl", failures);
        if (string.IsNullOrEmpty(options.Platform.OrganizationId) != string.IsNullOrEmpty(options.Platform.ProjectId))
        {
            failures.Add("Auth:Platform needs both OrganizationId and ProjectId (the platform's own project), or neither.");
        }

        if (options.PublishesEvents && string.IsNullOrEmpty(options.Events.SealingKey))
        {
            failures.Add("Auth:Events:SealingKey is required with Auth:Platform: the name of a vault secret of that project holding a base64 256-bit key.");
        }

        if (options.SendsMail && !options.PublishesEvents)
        {
            failures.Add("Auth:Resend:ApiKey names a vault secret of the platform project: set Auth:Platform:OrganizationId and :ProjectId too.");
        }

        if (options.SendsMail && string.IsNullOrWhiteSpace(options.Email.From))
        {
            failures.Add("Auth:Email:From is required with Auth:Resend:ApiKey (e.g. \"Acme <no-reply@acme.example>\").");
        }

        if ((options.PublishesEvents || options.SendsMail) && string.IsNullOrEmpty(options.SiteUrl))
        {
            failures.Add("Auth:SiteUrl is required with Auth:Platform or Auth:Resend: mailed links point at it.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(string? value, string setting, List<string> failures)
    {
        if (value is null)
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            failures.Add($"{setting} must be an absolute http(s) URL without user info or fragment.");
        }
    }
}
