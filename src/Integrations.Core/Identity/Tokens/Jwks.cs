using System.Text;
using System.Text.Json;

namespace Integrations.Core.Identity.Tokens;

/// <summary>Writes a JWK Set of EC P-256 public keys (RFC 7517, RFC 7518 §6.2.1): <c>kty</c>, <c>crv</c>, <c>x</c>, <c>y</c>, <c>kid</c>, <c>use</c>, <c>alg</c>.</summary>
internal static class Jwks
{
    public static string Write(IReadOnlyList<SigningKey> keys)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("keys");
            foreach (var key in keys)
            {
                json.WriteStartObject();
                json.WriteString("kty", "EC");
                json.WriteString("crv", "P-256");
                json.WriteString("x", key.X);
                json.WriteString("y", key.Y);
                json.WriteString("kid", key.Id);
                json.WriteString("use", "sig");
                json.WriteString("alg", "ES256");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
