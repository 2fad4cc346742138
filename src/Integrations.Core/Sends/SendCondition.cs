using System.Globalization;
using System.Text.Json;
using Integrations.Core.Common;
using NCalc;
using NCalc.Exceptions;
using NCalc.Visitors;

namespace Integrations.Core.Sends;

/// <summary>
/// A send's <c>condition</c>: an NCalc expression over the top-level members of its <c>context</c>, e.g.
/// <c>totalAmount &gt; 10000 &amp;&amp; status == 'paid'</c>, evaluated in a sandbox.
/// </summary>
/// <remarks>
/// <para>NCalc is a small expression language with no member access and no reflection (<c>a.b</c> does not parse;
/// <c>[a.b]</c> is just a parameter named "a.b"), but it has built-in functions, a regex-backed <c>like</c>, factorial,
/// dates, and lenient conversions ("10001" &gt; 10000 is true). So the parsed tree is checked before anything runs:</para>
/// <list type="bullet">
/// <item>at most <see cref="MaxLength"/> characters, at most <see cref="MaxDepth"/> levels and <see cref="MaxNodes"/> nodes;</item>
/// <item>only the operators of comparison, arithmetic, logic, <c>in</c>/<c>not in</c> and <c>? :</c> (no <c>like</c>, no
/// bitwise operators, no <c>**</c>, no factorial, no <c>??</c>), and only the functions <see cref="Functions"/>;</item>
/// <item>only number, string and boolean literals (no dates, times, characters or GUIDs);</item>
/// <item>types checked against the context's values: numbers compare and compute with numbers, strings compare with
/// strings (equality only, ordinal), <c>&amp;&amp;</c>, <c>||</c> and <c>!</c> take booleans, and the whole is a boolean. A
/// string is never read as a number. A member missing from the context (or null) is null: <c>==</c>/<c>!=</c> take it,
/// an ordering comparison with it is false, arithmetic with it is refused.</item>
/// </list>
/// Evaluation then runs on NCalc's own evaluator with its cache off (a caller's expression is not kept), the parameters
/// the expression names, and a cancellation after <see cref="EvaluationBudget"/>.
/// </remarks>
public static class SendCondition
{
    /// <summary>The longest condition accepted, in characters.</summary>
    public const int MaxLength = 500;

    /// <summary>The deepest expression tree accepted (parentheses, operators and function calls each add a level).</summary>
    public const int MaxDepth = 24;

    /// <summary>The most nodes an expression tree may have.</summary>
    public const int MaxNodes = 200;

    /// <summary>How long evaluation may run before it is cancelled (it takes microseconds; this bounds the unforeseen).</summary>
    public static readonly TimeSpan EvaluationBudget = TimeSpan.FromMilliseconds(200);

    /// <summary>The functions a condition may call, by NCalc's case-sensitive names.</summary>
    public static IReadOnlySet<string> Functions { get; } = new HashSet<string>(["Abs", "Min", "Max", "if", "in"], StringComparer.Ordinal);

    private const ExpressionOptions Options =
        ExpressionOptions.NoCache | ExpressionOptions.OrdinalStringComparer | ExpressionOptions.AllowNullParameter | ExpressionOptions.NoStringTypeCoercion;

    /// <summary>Whether <paramref name="condition"/> holds for <paramref name="context"/> (a JSON object, or none); an error says why it was refused.</summary>
    public static Result<bool> Evaluate(string condition, JsonElement? context)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.Length > MaxLength)
        {
            return HubError.Invalid(SendErrors.ConditionTooLong, $"condition must be at most {MaxLength} characters.", "condition");
        }

        if (string.IsNullOrWhiteSpace(condition))
        {
            return Refused("it is empty");
        }

        LogicalExpression tree;
        try
        {
            tree = LogicalExpressionParser.Parse(condition, new LogicalExpressionParserOptions(), CultureInfo.InvariantCulture, CancellationToken.None);
        }
        catch (Exception ex) when (ex is NCalcException or FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            // The parser's message names a position in the caller's own expression, never a context value.
            return Refused("it is not a valid expression" + (ex is NCalcParserException ? " (" + Trim(ex.Message) + ")" : ""));
        }

        var parameters = Parameters(context);
        var checker = new TypeCheck(parameters);
        Kind kind;
        try
        {
            kind = tree.Accept(checker);
        }
        catch (RefusedException ex)
        {
            return Refused(ex.Message);
        }

        if (kind is not (Kind.Boolean or Kind.Null))
        {
            return Refused("it does not evaluate to true or false");
        }

        var expression = new Expression(tree, ExpressionConfiguration.FromOptions(Options), new ExpressionContext(), CultureInfo.InvariantCulture, null);
        foreach (var name in checker.Named)
        {
            expression.Parameters[name] = parameters.TryGetValue(name, out var value) ? value.Value : null;
        }

        using var budget = new CancellationTokenSource(EvaluationBudget);
        try
        {
            return expression.Evaluate(budget.Token) is true;
        }
        catch (OperationCanceledException)
        {
            return Refused("it took too long to evaluate");
        }
        catch (Exception ex) when (ex is NCalcException or FormatException or OverflowException or InvalidCastException or ArgumentException or InvalidOperationException or DivideByZeroException)
        {
            // The exception's message may quote a context value: only its kind is told.
            return Refused("it could not be evaluated (" + ex.GetType().Name + ")");
        }
    }

    private static HubError Refused(string why) => HubError.Invalid(SendErrors.ConditionRefused, $"The condition was refused: {why}. Nothing was sent.", "condition");

    private static string Trim(string message) => message.Length <= 120 ? message : message[..120];

    /// <summary>The context's top-level scalars as NCalc values (numbers as decimal, or double past decimal's range); objects and arrays as such.</summary>
    private static Dictionary<string, (Kind Kind, object? Value)> Parameters(JsonElement? context)
    {
        var parameters = new Dictionary<string, (Kind, object?)>(StringComparer.Ordinal);
        if (context is not { ValueKind: JsonValueKind.Object } element)
        {
            return parameters;
        }

        foreach (var member in element.EnumerateObject())
        {
            parameters[member.Name] = member.Value.ValueKind switch
            {
                JsonValueKind.String => (Kind.String, member.Value.GetString()),
                JsonValueKind.Number => (Kind.Number, member.Value.TryGetDecimal(out var d) ? d : member.Value.GetDouble()),
                JsonValueKind.True => (Kind.Boolean, true),
                JsonValueKind.False => (Kind.Boolean, false),
                JsonValueKind.Null => (Kind.Null, null),
                _ => (Kind.Structured, null),
            };
        }

        return parameters;
    }

    private enum Kind
    {
        Null,
        Number,
        String,
        Boolean,
        Structured,
        List,
    }

    private sealed class RefusedException(string message) : Exception(message);

    /// <summary>Walks the tree once: the allow-lists, the bounds and the types. Throws <see cref="RefusedException"/> with the reason.</summary>
    private sealed class TypeCheck(Dictionary<string, (Kind Kind, object? Value)> parameters) : ILogicalExpressionVisitor<Kind>
    {
        private int _depth;
        private int _nodes;

        public HashSet<string> Named { get; } = new(StringComparer.Ordinal);

        public Kind Visit(TernaryExpression expression)
        {
            using var _ = Enter();
            Expect(expression.LeftExpression.Accept(this), Kind.Boolean, "the test of '? :'");
            var left = expression.MiddleExpression.Accept(this);
            var right = expression.RightExpression.Accept(this);
            return Same(left, right, "the branches of '? :'");
        }

        public Kind Visit(BinaryExpression expression)
        {
            using var _ = Enter();
            var type = expression.Type;
            var left = expression.LeftExpression.Accept(this);
            var right = expression.RightExpression.Accept(this);
            switch (type)
            {
                case BinaryExpressionType.And or BinaryExpressionType.Or:
                    Expect(left, Kind.Boolean, "'&&' and '||'");
                    Expect(right, Kind.Boolean, "'&&' and '||'");
                    return Kind.Boolean;
                case BinaryExpressionType.Equal or BinaryExpressionType.NotEqual:
                    if (left != Kind.Null && right != Kind.Null)
                    {
                        Same(left, right, "'==' and '!='");
                    }

                    return Kind.Boolean;
                case BinaryExpressionType.Lesser or BinaryExpressionType.LesserOrEqual or BinaryExpressionType.Greater or BinaryExpressionType.GreaterOrEqual:
                    ExpectOrNull(left, Kind.Number, "'<', '<=', '>' and '>='");
                    ExpectOrNull(right, Kind.Number, "'<', '<=', '>' and '>='");
                    return Kind.Boolean;
                case BinaryExpressionType.Plus or BinaryExpressionType.Minus or BinaryExpressionType.Times or BinaryExpressionType.Div or BinaryExpressionType.Modulo:
                    Expect(left, Kind.Number, "arithmetic");
                    Expect(right, Kind.Number, "arithmetic");
                    return Kind.Number;
                case BinaryExpressionType.In or BinaryExpressionType.NotIn:
                    if (left is not (Kind.Number or Kind.String or Kind.Boolean or Kind.Null) || right != Kind.List)
                    {
                        throw new RefusedException("'in' takes a value on its left and a list such as ('a', 'b') on its right");
                    }

                    return Kind.Boolean;
                default:
                    throw new RefusedException($"the operator {type} is not allowed (comparison, arithmetic, &&, ||, !, in and ? : are)");
            }
        }

        public Kind Visit(UnaryExpression expression)
        {
            using var _ = Enter();
            var operand = expression.Expression.Accept(this);
            switch (expression.Type)
            {
                case UnaryExpressionType.Not:
                    Expect(operand, Kind.Boolean, "'!'");
                    return Kind.Boolean;
                case UnaryExpressionType.Negate or UnaryExpressionType.Positive:
                    Expect(operand, Kind.Number, "a sign");
                    return Kind.Number;
                default:
                    throw new RefusedException($"the operator {expression.Type} is not allowed");
            }
        }

        public Kind Visit(ValueExpression expression)
        {
            using var _ = Enter();
            return expression.Type switch
            {
                NCalc.ValueType.Integer or NCalc.ValueType.Float => Kind.Number,
                NCalc.ValueType.String => Kind.String,
                NCalc.ValueType.Boolean => Kind.Boolean,
                _ => throw new RefusedException($"{expression.Type} literals are not allowed (numbers, 'strings', true and false are)"),
            };
        }

        public Kind Visit(Function function)
        {
            using var _ = Enter();
            var name = function.Identifier.Name;
            if (!Functions.Contains(name))
            {
                throw new RefusedException($"only the functions {string.Join(", ", Functions)} may be called");
            }

            var arguments = function.Parameters.Select(a => a.Accept(this)).ToList();
            switch (name)
            {
                case "Abs":
                    Count(arguments, 1, name);
                    Expect(arguments[0], Kind.Number, name);
                    return Kind.Number;
                case "Min" or "Max":
                    Count(arguments, 2, name);
                    Expect(arguments[0], Kind.Number, name);
                    Expect(arguments[1], Kind.Number, name);
                    return Kind.Number;
                case "if":
                    Count(arguments, 3, name);
                    Expect(arguments[0], Kind.Boolean, "the test of if()");
                    return Same(arguments[1], arguments[2], "the branches of if()");
                default:
                    // in(value, candidate, …)
                    if (arguments.Count < 2 || arguments.Any(a => a is not (Kind.Number or Kind.String or Kind.Boolean or Kind.Null)))
                    {
                        throw new RefusedException("in() takes a value and at least one candidate, all plain values");
                    }

                    return Kind.Boolean;
            }
        }

        public Kind Visit(Identifier identifier)
        {
            using var _ = Enter();
            Named.Add(identifier.Name);
            if (!parameters.TryGetValue(identifier.Name, out var value))
            {
                return Kind.Null;
            }

            // The name is the caller's own expression; the value is never told.
            return value.Kind == Kind.Structured
                ? throw new RefusedException($"'{Trim(identifier.Name)}' is an object or array in the context; compare plain values only")
                : value.Kind;
        }

        public Kind Visit(LogicalExpressionList list)
        {
            using var _ = Enter();
            foreach (var item in list)
            {
                if (item.Accept(this) is not (Kind.Number or Kind.String or Kind.Boolean or Kind.Null))
                {
                    throw new RefusedException("a list holds plain values only");
                }
            }

            return Kind.List;
        }

        private Level Enter()
        {
            if (++_nodes > MaxNodes)
            {
                throw new RefusedException($"it has more than {MaxNodes} parts");
            }

            if (++_depth > MaxDepth)
            {
                throw new RefusedException($"it is nested more than {MaxDepth} levels deep");
            }

            return new Level(this);
        }

        private static void Expect(Kind actual, Kind expected, string where)
        {
            if (actual != expected)
            {
                throw new RefusedException($"{where}: needs {Describe(expected)}, got {Describe(actual)}");
            }
        }

        private static void ExpectOrNull(Kind actual, Kind expected, string where)
        {
            if (actual != Kind.Null)
            {
                Expect(actual, expected, where);
            }
        }

        private static Kind Same(Kind left, Kind right, string where)
        {
            if (left == Kind.Null)
            {
                return right;
            }

            if (right != Kind.Null && left != right)
            {
                throw new RefusedException($"{where}: {Describe(left)} against {Describe(right)} (a string is never read as a number)");
            }

            return left;
        }

        private static void Count(List<Kind> arguments, int count, string name)
        {
            if (arguments.Count != count)
            {
                throw new RefusedException($"{name}() takes {count} argument{(count == 1 ? "" : "s")}");
            }
        }

        private static string Describe(Kind kind) => kind switch
        {
            Kind.Number => "a number",
            Kind.String => "a string",
            Kind.Boolean => "true or false",
            Kind.Null => "null (or a missing member)",
            Kind.List => "a list",
            _ => "an object",
        };

        private readonly struct Level(TypeCheck owner) : IDisposable
        {
            public void Dispose() => owner._depth--;
        }
    }
}
