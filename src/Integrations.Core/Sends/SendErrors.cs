namespace Integrations.Core.Sends;

/// <summary>Problem codes of direct sends (<c>POST …/sends</c>). Each has an entry in docs/problems.md.</summary>
public static class SendErrors
{
    /// <summary>A field of the send is missing, of the wrong type or out of range; <c>field</c> names it.</summary>
    public const string Invalid = "send-invalid";

    /// <summary>The condition is longer than <see cref="SendCondition.MaxLength"/> characters.</summary>
    public const string ConditionTooLong = "send-condition-too-long";

    /// <summary>The condition does not parse, uses something outside the sandbox, mixes types, or is not true/false.</summary>
    public const string ConditionRefused = "send-condition-refused";

    /// <summary>A string of the body holds <c>{{</c> that is not a plain placeholder, or a placeholder names an object or array.</summary>
    public const string TemplateRefused = "send-template-refused";

    /// <summary>The rendered body is larger than <see cref="SendRules.MaxBodyBytes"/>.</summary>
    public const string BodyTooLarge = "send-body-too-large";
}
