namespace Integrations.Core.Identity.Recovery;

/// <summary>One transactional mail. Its bodies hold a live token: <see cref="ToString"/> shows only the recipient count and subject.</summary>
public sealed record EmailMessage(string From, string To, string Subject, string Html, string Text)
{
    public override string ToString() => $"EmailMessage {{ Subject = {Subject} }}";
}
