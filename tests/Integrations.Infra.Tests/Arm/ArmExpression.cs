using System.Globalization;
using System.Text;

namespace Integrations.Infra.Tests.Arm;

/// <summary>A parsed ARM template language expression (the text between <c>[</c> and <c>]</c> in a compiled template).</summary>
internal abstract record ArmExpression
{
    /// <summary>
    /// Parses <paramref name="text"/> (without the surrounding brackets): function calls, single-quoted strings
    /// (<c>''</c> escapes a quote), integers, <c>.member</c> and <c>[index]</c> access — the grammar Bicep emits.
    /// </summary>
    public static ArmExpression Parse(string text)
    {
        var parser = new Parser(text);
        var expression = parser.ParseExpression();
        parser.SkipWhitespace();
        return parser.AtEnd ? expression : throw parser.Error("unexpected text after the expression");
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public ArmExpression ParseExpression()
        {
            SkipWhitespace();
            var expression = ParsePrimary();
            while (true)
            {
                SkipWhitespace();
                if (Peek('.'))
                {
                    _position++;
                    expression = new ArmMember(expression, ReadIdentifier());
                }
                else if (Peek('['))
                {
                    _position++;
                    var index = ParseExpression();
                    Expect(']');
                    expression = new ArmIndex(expression, index);
                }
                else
                {
                    return expression;
                }
            }
        }

        public void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        public FormatException Error(string message) => new($"{message} at {_position} in [{text}]");

        private ArmExpression ParsePrimary()
        {
            if (AtEnd)
            {
                throw Error("expression expected");
            }

            var c = text[_position];
            if (c == '\'')
            {
                return new ArmLiteral(ReadString());
            }

            if (char.IsAsciiDigit(c) || c == '-')
            {
                var start = _position++;
                while (!AtEnd && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }

                return new ArmLiteral(long.Parse(text.AsSpan(start, _position - start), CultureInfo.InvariantCulture));
            }

            var name = ReadIdentifier();
            SkipWhitespace();
            Expect('(');
            var arguments = new List<ArmExpression>();
            SkipWhitespace();
            if (Peek(')'))
            {
                _position++;
                return new ArmCall(name, arguments);
            }

            while (true)
            {
                arguments.Add(ParseExpression());
                SkipWhitespace();
                if (Peek(')'))
                {
                    _position++;
                    return new ArmCall(name, arguments);
                }

                Expect(',');
            }
        }

        private string ReadString()
        {
            Expect('\'');
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("unterminated string");
                }

                var c = text[_position++];
                if (c != '\'')
                {
                    value.Append(c);
                }
                else if (Peek('\''))
                {
                    value.Append('\'');
                    _position++;
                }
                else
                {
                    return value.ToString();
                }
            }
        }

        private string ReadIdentifier()
        {
            var start = _position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : throw Error("identifier expected");
        }

        private bool Peek(char c) => !AtEnd && text[_position] == c;

        private void Expect(char c)
        {
            SkipWhitespace();
            if (!Peek(c))
            {
                throw Error($"'{c}' expected");
            }

            _position++;
        }
    }
}

internal sealed record ArmLiteral(object? Value) : ArmExpression;

internal sealed record ArmCall(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression;

internal sealed record ArmMember(ArmExpression Target, string Name) : ArmExpression;

internal sealed record ArmIndex(ArmExpression Target, ArmExpression Key) : ArmExpression;
