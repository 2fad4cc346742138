namespace Integrations.Azure.KeyVault;

/// <summary>
/// Reads the parameters of the <c>Bearer</c> challenge in a <c>WWW-Authenticate</c> header (RFC 9110 §11.6.1:
/// <c>challenge = auth-scheme [ 1*SP #auth-param ]</c>, <c>auth-param = token BWS "=" BWS ( token / quoted-string )</c>;
/// several challenges may share one header, separated by commas). Azure.Core's own parser is internal.
/// </summary>
internal static class BearerChallenge
{
    /// <summary>The Bearer challenge's parameters (names case-insensitive), or null when the header has no Bearer challenge.</summary>
    public static IReadOnlyDictionary<string, string>? Parse(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var reader = new Reader(header);
        while (!reader.AtEnd)
        {
            reader.SkipSeparators();
            var scheme = reader.ReadToken();
            if (scheme.Length == 0)
            {
                // Not a token (e.g. the padding of a token68 credential): step over it.
                reader.Advance();
                continue;
            }

            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (reader.TryReadParameter(out var name, out var value))
            {
                parameters.TryAdd(name, value);
            }

            if (string.Equals(scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return parameters;
            }
        }

        return null;
    }

    private ref struct Reader(string text)
    {
        private readonly string _text = text;
        private int _position;

        public readonly bool AtEnd => _position >= _text.Length;

        public void SkipSeparators()
        {
            while (!AtEnd && (_text[_position] is ' ' or '\t' or ','))
            {
                _position++;
            }
        }

        public void Advance() => _position++;

        public string ReadToken()
        {
            var start = _position;
            while (!AtEnd && IsTokenChar(_text[_position]))
            {
                _position++;
            }

            return _text[start.._position];
        }

        /// <summary>Reads <c>name=value</c>; leaves the position alone when what follows is the next challenge (a token without '=').</summary>
        public bool TryReadParameter(out string name, out string value)
        {
            var start = _position;
            SkipSeparators();
            name = ReadToken();
            SkipWhitespace();
            if (name.Length == 0 || AtEnd || _text[_position] != '=')
            {
                _position = start;
                value = string.Empty;
                return false;
            }

            _position++;
            SkipWhitespace();
            value = !AtEnd && _text[_position] == '"' ? ReadQuoted() : ReadToken();
            return true;
        }

        private string ReadQuoted()
        {
            var builder = new System.Text.StringBuilder();
            _position++;
            while (!AtEnd && _text[_position] != '"')
            {
                // quoted-pair: a backslash escapes the next character.
                if (_text[_position] == '\\' && _position + 1 < _text.Length)
                {
                    _position++;
                }

                builder.Append(_text[_position++]);
            }

            _position++;
            return builder.ToString();
        }

        private void SkipWhitespace()
        {
            while (!AtEnd && _text[_position] is ' ' or '\t')
            {
                _position++;
            }
        }

        // tchar (RFC 9110 §5.6.2), plus '/' so that token68-like values do not stall the reader.
        private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~/:".Contains(c, StringComparison.Ordinal);
    }
}
