using Integrations.Azure.Tests.Identity.Users;
using Integrations.Core.Identity.Social;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Azure.Tests.Identity.Social;

/// <summary>A <see cref="UserHub"/> with social login registered, and profiles to send it.</summary>
internal static class SocialHub
{
    public static Task<UserHub> StartAsync(Action<IServiceCollection>? configure = null) =>
        UserHub.StartAsync(configure: s =>
        {
            s.TryAddSingleton<SocialLoginService>();
            configure?.Invoke(s);
        });

    public static SocialLoginService Social(this UserHub hub) => hub.Services.Get<SocialLoginService>();

    public static ISocialLinkStore Links(this UserHub hub) => hub.Services.Get<ISocialLinkStore>();

    public static SocialProfile Profile(string email, string provider = "google", string providerUserId = "g-1001", bool emailVerified = true) =>
        new(provider, providerUserId, email, emailVerified, "Social Person", "https://lh3.example.com/a.png");
}
