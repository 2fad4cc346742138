using System.Globalization;
using System.Text;

namespace Integrations.Testing;

/// <summary>
/// What an attacker can make from the public refresh-token format without the authority key: a token of their own with its
/// session, user and generation rewritten and the checksum (CRC-32, base62 — as GitHub's tokens) recomputed, so it passes
/// the shape check and reaches the session it names.
/// </summary>
public static class ForgedRefreshToken
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Naming(string ownToken, string userId, string sessionId, int generation)
    {
        var body = ownToken[..4] + sessionId[4..] + userId[4..] + generation.ToString("x8", CultureInfo.InvariantCulture) + ownToken[52..92];
        return body + Checksum(body);
    }

    private static string Checksum(string body)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in Encoding.ASCII.GetBytes(body))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        crc ^= 0xFFFFFFFFu;
        var chars = new char[6];
        for (var i = 5; i >= 0; i--)
        {
            chars[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }

        return new string(chars);
    }
}
