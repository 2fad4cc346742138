using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.OAuth.Flows;

/// <summary>OAuth browser flows: lifetimes of states and start links, and the cleanup schedule. Bound from <c>OAuth</c>.</summary>
public sealed class OAuthStateOptions
{
    public const string SectionName = "OAuth";

    /// <summary>How long a started flow may take, from <c>authorize</c> to the callback. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00", ErrorMessage = "OAuth:StateLifetime must be between 1 and 60 minutes.")]
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the start link works. Default 2 minutes: it is opened right after <c>authorize</c>, and what remains of the
    /// state's lifetime is the user's time at the provider. Must be shorter than <see cref="StateLifetime"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00", ErrorMessage = "OAuth:StartLinkLifetime must be between 10 seconds and 30 minutes.")]
    public TimeSpan StartLinkLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>NCRONTAB (six fields) of the job that deletes expired states; the Functions timer reads the same setting.</summary>
    [Required(ErrorMessage = "OAuth:StateCleanupSchedule is required: an NCRONTAB expression with six fields, e.g. \"0 */15 * * * *\".")]
    public string StateCleanupSchedule { get; set; } = "0 */15 * * * *";
}
