namespace Integrations.Core.Connections.Proxy;

/// <summary>Why <see cref="ProxyPath.Resolve"/> refused a caller's path. Every one is the caller's fault (HTTP 400).</summary>
public enum ProxyPathRejection
{
    /// <summary>A <c>..</c> segment (plain or percent-encoded) would climb above the connection's base path.</summary>
    ClimbsAboveBase,

    /// <summary>An encoded slash or backslash (<c>%2F</c>, <c>%5C</c>) or a raw backslash: servers disagree on whether it separates segments.</summary>
    EncodedSeparator,

    /// <summary>A NUL character, raw or <c>%00</c>.</summary>
    NulCharacter,

    /// <summary>A malformed percent escape (<c>%zz</c>, a lone <c>%</c>) or bytes that are not UTF-8.</summary>
    InvalidEncoding,

    /// <summary>A segment such as <c>..;x</c> that some servers (Tomcat, Jetty) read as a dot segment.</summary>
    AmbiguousDotSegment,
}
