using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Integrations.Infra.Tests.Arm;

/// <summary>A value known only once deployed (a resource's runtime property, a generated GUID), with how it is made.</summary>
internal sealed record ArmUnknown(string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// Evaluates a compiled ARM template's expressions as far as they can be known before deployment: parameters (given
/// or their defaults), variables, the functions Bicep emits here, and the outputs of nested deployments (modules), which
/// are evaluated in their own template. What only Azure knows (a storage endpoint, an identity's client id) comes back as
/// <see cref="ArmUnknown"/> describing where it comes from. Objects are dictionaries, arrays lists, numbers longs.
/// </summary>
internal sealed partial class ArmScope
{
    private readonly Func<string, object?> _parameter;
    private readonly Dictionary<string, object?> _variables = new(StringComparer.OrdinalIgnoreCase);

    public ArmScope(JsonObject template, IReadOnlyDictionary<string, object?> parameters, string path = "main")
        : this(template, name => parameters.TryGetValue(name, out var value) ? value : Missing.Value, path)
    {
    }

    private ArmScope(JsonObject template, Func<string, object?> parameter, string path)
    {
        Template = template;
        _parameter = parameter;
        Path = path;
    }

    public JsonObject Template { get; }

    /// <summary>Which template this is: <c>main</c>, or the module chain (e.g. <c>main/api</c>).</summary>
    public string Path { get; }

    /// <summary>The template's resources, whether Bicep emitted them as an array or (language version 2.0) by symbolic name.</summary>
    public IEnumerable<JsonObject> Resources => Template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject byName => byName.Select(r => r.Value!.AsObject()),
        _ => [],
    };

    /// <summary>The resources of <paramref name="type"/> in this template.</summary>
    public IEnumerable<JsonObject> ResourcesOfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The nested deployment (module) named <paramref name="name"/>: its template, with its parameters as passed here.</summary>
    public ArmScope Module(string name)
    {
        var deployment = ResourcesOfType("Microsoft.Resources/deployments").SingleOrDefault(r => Equals(Evaluate(r["name"]), name))
            ?? throw new InvalidOperationException($"{Path} has no module named {name}.");
        var properties = deployment["properties"]!.AsObject();
        var passed = properties["parameters"]?.AsObject() ?? [];
        return new ArmScope(properties["template"]!.AsObject(),
            parameter => passed[parameter] is JsonObject given ? Evaluate(given["value"]) : Missing.Value, $"{Path}/{name}");
    }

    /// <summary>Every module of this template and of its modules, depth first.</summary>
    public IEnumerable<ArmScope> ModulesDeep()
    {
        foreach (var deployment in ResourcesOfType("Microsoft.Resources/deployments"))
        {
            var module = Module((string)Evaluate(deployment["name"])!);
            yield return module;
            foreach (var nested in module.ModulesDeep())
            {
                yield return nested;
            }
        }
    }

    public object? Parameter(string name)
    {
        var value = _parameter(name);
        if (value != Missing.Value)
        {
            return value;
        }

        var declared = Template["parameters"]?[name] ?? throw new InvalidOperationException($"{Path} declares no parameter {name}.");
        return declared["defaultValue"] is { } defaultValue
            ? Evaluate(defaultValue)
            : throw new InvalidOperationException($"{Path}: parameter {name} has no value and no default.");
    }

    public object? Variable(string name)
    {
        if (!_variables.TryGetValue(name, out var value))
        {
            var declared = Template["variables"]?[name] ?? throw new InvalidOperationException($"{Path} declares no variable {name}.");
            _variables[name] = value = Evaluate(declared);
        }

        return value;
    }

    /// <summary>Evaluates a template value: strings in brackets are expressions, objects and arrays are evaluated member by member.</summary>
    public object? Evaluate(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray array => array.Select(Evaluate).ToList(),
        JsonValue value when value.TryGetValue<string>(out var text) => EvaluateString(text),
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        _ => throw new NotSupportedException($"{Path}: cannot evaluate {node.ToJsonString()}."),
    };

    /// <summary>The expression in <paramref name="text"/> if it is one (<c>[...]</c>, not <c>[[...</c>), else null.</summary>
    public static ArmExpression? ExpressionOf(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal) ? ArmExpression.Parse(text[1..^1]) : null;

    private object? EvaluateString(string text) =>
        ExpressionOf(text) is { } expression ? Evaluate(expression, Locals.Empty)
        : text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text;

    public object? Evaluate(ArmExpression expression, Locals locals) => expression switch
    {
        ArmLiteral literal => literal.Value,
        ArmMember member => MemberOf(Evaluate(member.Target, locals), member.Name),
        ArmIndex index => IndexOf(Evaluate(index.Target, locals), Evaluate(index.Key, locals)),
        ArmCall call => Call(call, locals),
        _ => throw new NotSupportedException(expression.ToString()),
    };

    private object? Call(ArmCall call, Locals locals)
    {
        object? Arg(int i) => Evaluate(call.Arguments[i], locals);
        List<object?> Args() => [.. call.Arguments.Select(a => Evaluate(a, locals))];

        switch (call.Name.ToUpperInvariant())
        {
            case "PARAMETERS": return Parameter((string)Arg(0)!);
            case "VARIABLES": return Variable((string)Arg(0)!);
            case "IF": return IsTrue(Arg(0)) ? Arg(1) : Arg(2);
            case "NOT": return !IsTrue(Arg(0));
            case "AND": return Args().All(IsTrue);
            case "OR": return Args().Any(IsTrue);
            case "EQUALS": return Equals(Known(Arg(0)), Known(Arg(1)));
            case "EMPTY":
                return Known(Arg(0)) switch
                {
                    null => true,
                    string s => s.Length == 0,
                    List<object?> list => list.Count == 0,
                    Dictionary<string, object?> obj => obj.Count == 0,
                    _ => false,
                };
            case "CREATEOBJECT":
                var created = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < call.Arguments.Count; i += 2)
                {
                    created[Text(Arg(i))] = Arg(i + 1);
                }

                return created;
            case "CREATEARRAY": return Args();
            case "UNION":
                if (Args() is [List<object?>, ..] arrays)
                {
                    return arrays.Cast<List<object?>>().SelectMany(a => a).Distinct().ToList();
                }

                var union = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var obj in Args().Cast<Dictionary<string, object?>>())
                {
                    foreach (var (key, value) in obj)
                    {
                        union[key] = value;
                    }
                }

                return union;
            case "FORMAT":
                var args = Args();
                var rendered = FormatPlaceholder().Replace(Text(args[0]), m => Render(args[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1]));
                return args.Skip(1).Any(a => a is ArmUnknown) ? new ArmUnknown(rendered) : rendered;
            case "CONCAT":
                if (Args() is [List<object?>, ..] lists)
                {
                    return lists.Cast<List<object?>>().SelectMany(a => a).ToList();
                }

                var parts = Args();
                var joined = string.Concat(parts.Select(Render));
                return parts.Any(a => a is ArmUnknown) ? new ArmUnknown(joined) : joined;
            case "STRING": return Arg(0) is ArmUnknown u ? u : Render(Arg(0));
            case "TOLOWER": return Arg(0) is ArmUnknown lower ? lower : Text(Arg(0)).ToLowerInvariant();
            case "TAKE": return Arg(0) is ArmUnknown taken ? taken : Text(Arg(0))[..(int)Math.Min((long)Arg(1)!, Text(Arg(0)).Length)];
            case "LENGTH": return (long)(Known(Arg(0)) switch { string s => s.Length, List<object?> l => l.Count, Dictionary<string, object?> o => o.Count, _ => 0 });
            // Deterministic stand-ins: a 13-character token as uniqueString returns, so name lengths are realistic.
            case "UNIQUESTRING": return "abcdefghijklm";
            case "GUID": return new ArmUnknown("⟨guid⟩");
            case "NEWGUID": return new ArmUnknown("⟨newGuid⟩");
            case "SUBSCRIPTION": return Obj(("id", "/subscriptions/00000000-0000-0000-0000-000000000001"), ("subscriptionId", "00000000-0000-0000-0000-000000000001"), ("tenantId", "00000000-0000-0000-0000-000000000002"));
            case "TENANT": return Obj(("tenantId", "00000000-0000-0000-0000-000000000002"));
            case "RESOURCEGROUP": return Obj(("id", "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"), ("name", "rg"), ("location", Parameter("location")));
            case "RESOURCEID": return ResourceId("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg", Args());
            case "SUBSCRIPTIONRESOURCEID": return ResourceId("/subscriptions/00000000-0000-0000-0000-000000000001", Args());
            case "EXTENSIONRESOURCEID": return ResourceId(Text(Arg(0)), Args().Skip(1).ToList());
            case "REFERENCE": return Reference(Arg(0));
            case "ITEMS":
                return ((Dictionary<string, object?>)Arg(0)!).Select(p => (object?)Obj(("key", p.Key), ("value", p.Value))).ToList();
            case "MAP":
                var lambda = (ArmCall)call.Arguments[1];
                return ((List<object?>)Arg(0)!).Select(item => Evaluate(lambda.Arguments[^1], locals.With(Text(Evaluate(lambda.Arguments[0], locals)), item))).ToList();
            case "LAMBDAVARIABLES": return locals.Get(Text(Arg(0)));
            default: throw new NotSupportedException($"{Path}: the test's evaluator has no {call.Name}() — add it to ArmScope.");
        }
    }

    /// <summary>A nested deployment's outputs are evaluated in its own template; any other resource's properties are runtime values.</summary>
    private object? Reference(object? id)
    {
        var text = Text(id);
        // Language version 2.0 templates reference their own resources by symbolic name.
        if (!text.Contains('/', StringComparison.Ordinal) && Template["resources"] is JsonObject byName && byName[text] is JsonObject resource)
        {
            var type = (string)resource["type"]!;
            var names = Text(Evaluate(resource["name"])).Split('/');
            text = ResourceId("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg", [type, .. names]);
        }

        var marker = "/providers/Microsoft.Resources/deployments/";
        var at = text.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return new ArmUnknown($"⟨{text}⟩");
        }

        var module = Module(text[(at + marker.Length)..]);
        var outputs = module.Template["outputs"]!.AsObject();
        return Obj(("outputs", outputs.ToDictionary(o => o.Key, o => (object?)new LazyOutput(module, o.Key), StringComparer.OrdinalIgnoreCase)));
    }

    private sealed record LazyOutput(ArmScope Module, string Name);

    private static string ResourceId(string parent, List<object?> args)
    {
        var type = Text(args[0]).Split('/');
        var names = args.Skip(1).Select(Text).ToList();
        var id = $"{parent}/providers/{type[0]}";
        for (var i = 1; i < type.Length; i++)
        {
            id += $"/{type[i]}/{names[i - 1]}";
        }

        return id;
    }

    private static object? MemberOf(object? target, string name) => target switch
    {
        // A runtime property: ⟨resource id|.property.path⟩, the path kept inside the brackets so text formatted after it stays apart.
        ArmUnknown unknown when unknown.Text.EndsWith('⟩') => new ArmUnknown($"{unknown.Text[..^1]}{(unknown.Text.Contains('|', StringComparison.Ordinal) ? "" : "|")}.{name}⟩"),
        ArmUnknown unknown => new ArmUnknown($"{unknown.Text}.{name}"),
        LazyOutput output when name.Equals("value", StringComparison.OrdinalIgnoreCase) =>
            output.Module.Evaluate(output.Module.Template["outputs"]![output.Name]!["value"]),
        Dictionary<string, object?> obj => obj.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No member {name} in {string.Join(", ", obj.Keys)}."),
        _ => throw new NotSupportedException($"Member {name} of {target}."),
    };

    private static object? IndexOf(object? target, object? key) => (target, key) switch
    {
        (ArmUnknown unknown, _) => new ArmUnknown($"{unknown.Text}[{key}]"),
        (List<object?> list, long i) => list[(int)i],
        (Dictionary<string, object?>, string name) => MemberOf(target, name),
        _ => throw new NotSupportedException($"Index {key} of {target}."),
    };

    private static Dictionary<string, object?> Obj(params (string Key, object? Value)[] members) =>
        members.ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase);

    private static bool IsTrue(object? value) => Known(value) is true;

    private static object? Known(object? value) =>
        value is ArmUnknown unknown ? throw new NotSupportedException($"A decision depends on {unknown}, known only once deployed.") : value;

    private static string Text(object? value) => value as string ?? throw new NotSupportedException($"Expected a string, not {value ?? "null"}.");

    private static string Render(object? value) => value switch
    {
        null => "",
        string s => s,
        ArmUnknown unknown => unknown.Text,
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        _ => throw new NotSupportedException($"Cannot render {value}."),
    };

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex FormatPlaceholder();

    /// <summary>Marks a parameter the caller did not give (null is a value).</summary>
    private sealed class Missing
    {
        public static readonly Missing Value = new();
    }
}

/// <summary>The lambda variables in scope (<c>lambdaVariables('q')</c>).</summary>
internal sealed class Locals
{
    private readonly Dictionary<string, object?> _values;

    private Locals(Dictionary<string, object?> values) => _values = values;

    public static Locals Empty { get; } = new([]);

    public Locals With(string name, object? value) => new(new Dictionary<string, object?>(_values) { [name] = value });

    public object? Get(string name) => _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No lambda variable {name}.");
}
