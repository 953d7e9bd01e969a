using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Filters;
using E = AspireVector.Node.Collections.ScoreFormula;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Reads Qdrant's <c>{"formula": Expression, "defaults": {..}}</c> query: an expression is a number, a variable
/// (<c>$score</c>, <c>$score[i]</c> or a payload key), an operator object (<c>mult</c>, <c>sum</c>, <c>div</c>,
/// <c>neg</c>, <c>abs</c>, <c>sqrt</c>, <c>pow</c>, <c>exp</c>, <c>log10</c>, <c>ln</c>, <c>geo_distance</c>,
/// <c>datetime</c>, <c>datetime_key</c>, <c>lin_decay</c>, <c>exp_decay</c>, <c>gauss_decay</c>) or a filter condition.
/// </summary>
public static class FormulaReader
{
    private static readonly string[] UnaryFunctions = ["neg", "abs", "sqrt", "exp", "log10", "ln"];

    /// <summary>The formula of a <c>{"formula": .., "defaults": ..}</c> query; 400 for anything malformed.</summary>
    public static ScoreFormula Read(JsonElement query)
    {
        var reading = new Reading();
        var root = reading.Expression(query.GetProperty("formula"), "query.formula");
        var defaults = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (query.TryGetProperty("defaults", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `query.defaults`: expected an object, got {d.GetRawText()}");
            foreach (var p in d.EnumerateObject()) defaults[DefaultKey(p.Name)] = JsonNode.Parse(p.Value.GetRawText());
        }

        return new ScoreFormula(root, reading.Conditions, defaults);
    }

    /// <summary>A default's key as the evaluation looks it up: <c>$score[i]</c>, or the payload key's canonical text.</summary>
    private static string DefaultKey(string name) => Variable(name) switch
    {
        E.Score s => $"$score[{s.Prefetch}]",
        E.Variable v => v.Key.ToString(),
        _ => name,
    };

    /// <summary><c>$score</c> (prefetch 0), <c>$score[i]</c>, or a payload key.</summary>
    private static E.Expression Variable(string name)
    {
        if (name.StartsWith('$'))
        {
            if (name == "$score") return new E.Score(0);
            if (name.StartsWith("$score[", StringComparison.Ordinal) && name.EndsWith(']') &&
                int.TryParse(name.AsSpan(7, name.Length - 8), NumberStyles.None, CultureInfo.InvariantCulture, out int i))
                return new E.Score(i);
            throw new CollectionException(400, name.StartsWith("$score", StringComparison.Ordinal)
                ? $"Bad request: Invalid reserved variable: {name}" : $"Bad request: Invalid reserved word: {name}");
        }

        if (!PayloadKey.TryParse(name, out var key, out _)) throw new CollectionException(400, $"Bad request: Invalid payload variable: {name}");
        return new E.Variable(key);
    }

    private sealed class Reading
    {
        public List<QueryFilter> Conditions { get; } = [];

        public E.Expression Expression(JsonElement e, string at)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Number:
                    return new E.Constant(e.GetDouble());
                case JsonValueKind.String:
                    return Variable(e.GetString()!);
                case JsonValueKind.Object:
                    return Operator(e, at);
                default:
                    throw CollectionException.BadJson($"invalid type for `{at}`: expected a number, a variable, an expression object or a condition, got {e.GetRawText()}");
            }
        }

        private E.Expression Operator(JsonElement e, string at)
        {
            if (Single(e) is not { } op) return Condition(e, at);
            var (name, v) = op;
            string inner = $"{at}.{name}";
            if (Array.IndexOf(UnaryFunctions, name) >= 0) return new E.Unary(name, Expression(v, inner));
            switch (name)
            {
                case "mult":
                    return new E.Mult(List(v, inner));
                case "sum":
                    return new E.Sum(List(v, inner));
                case "div":
                    double? byZero = Optional(v, "by_zero_default", inner) is { } z ? Number(z, inner + ".by_zero_default") : null;
                    return new E.Div(Expression(Required(v, "left", inner), inner + ".left"), Expression(Required(v, "right", inner), inner + ".right"), byZero);
                case "pow":
                    return new E.Pow(Expression(Required(v, "base", inner), inner + ".base"), Expression(Required(v, "exponent", inner), inner + ".exponent"));
                case "geo_distance":
                    var origin = Required(v, "origin", inner);
                    var point = new GeoPoint(Number(Required(origin, "lon", inner + ".origin"), inner + ".origin.lon"), Number(Required(origin, "lat", inner + ".origin.lat"), inner + ".origin.lat"));
                    if (!point.IsValid) throw CollectionException.WrongInput($"`{inner}.origin` is not a valid geo point");
                    return new E.GeoDistance(point, Key(Required(v, "to", inner), inner + ".to"));
                case "datetime":
                    if (v.ValueKind == JsonValueKind.String && DatetimeParser.TryParseUtcTicks(v.GetString()!, out long ticks)) return new E.Constant(E.DatetimeKey.Seconds(ticks));
                    throw CollectionException.BadJson($"invalid value for `{inner}`: expected a datetime, got {v.GetRawText()}");
                case "datetime_key":
                    return new E.DatetimeKey(Key(v, inner));
                case "lin_decay" or "exp_decay" or "gauss_decay":
                    return Decay(name[..name.IndexOf('_')], v, inner);
                default:
                    return Condition(e, at);
            }
        }

        /// <summary>A filter condition, evaluated against the candidates as a filter.</summary>
        private E.Condition Condition(JsonElement e, string at)
        {
            Conditions.Add(QueryFilter.Parse($"{{\"must\":[{e.GetRawText()}]}}"));
            return new E.Condition(Conditions.Count - 1);
        }

        private E.Decay Decay(string kind, JsonElement v, string at)
        {
            var x = Expression(Required(v, "x", at), at + ".x");
            var target = Optional(v, "target", at) is { } t ? Expression(t, at + ".target") : null;
            double midpoint = Optional(v, "midpoint", at) is { } m ? Number(m, at + ".midpoint") : 0.5;
            double scale = Optional(v, "scale", at) is { } s ? Number(s, at + ".scale") : 1.0;
            if (kind == "lin" ? midpoint is < 0 or > 1 : midpoint is <= 0 or >= 1)
                throw new CollectionException(400, kind == "lin"
                    ? $"Validation error: Linear decay midpoint should be in the range [0.0, 1.0], got {midpoint.ToString(CultureInfo.InvariantCulture)}."
                    : $"Validation error: Decay midpoint should be in the range (0.0, 1.0), got {midpoint.ToString(CultureInfo.InvariantCulture)}.");
            if (scale <= 0) throw new CollectionException(400, $"Validation error: Decay scale should be non-zero positive, got {scale.ToString(CultureInfo.InvariantCulture)}.");
            double lambda = kind switch
            {
                "lin" => (1 - midpoint) / scale,
                "exp" => Math.Log(midpoint) / scale,
                _ => Math.Log(midpoint) / (scale * scale),
            };
            return new E.Decay(kind, x, target, lambda);
        }

        private List<E.Expression> List(JsonElement v, string at)
        {
            if (v.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `{at}`: expected a list of expressions, got {v.GetRawText()}");
            var list = new List<E.Expression>();
            int i = 0;
            foreach (var item in v.EnumerateArray()) list.Add(Expression(item, $"{at}[{i++}]"));
            return list;
        }

        private static PayloadKey Key(JsonElement v, string at)
        {
            if (v.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{at}`: expected a payload key, got {v.GetRawText()}");
            return PayloadKey.TryParse(v.GetString(), out var key, out var error) ? key : throw CollectionException.WrongInput($"`{at}`: {error}");
        }

        /// <summary>The one property of an operator object, or null when it has another number of them.</summary>
        private static (string Name, JsonElement Value)? Single(JsonElement e)
        {
            (string, JsonElement)? found = null;
            foreach (var p in e.EnumerateObject())
            {
                if (found is not null) return null;
                found = (p.Name, p.Value);
            }

            return found;
        }

        private static JsonElement Required(JsonElement v, string name, string at)
        {
            if (v.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{at}`: expected an object, got {v.GetRawText()}");
            return v.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p : throw CollectionException.BadJson($"missing field `{name}` at `{at}`");
        }

        private static JsonElement? Optional(JsonElement v, string name, string at)
        {
            if (v.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{at}`: expected an object, got {v.GetRawText()}");
            return v.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p : null;
        }

        private static double Number(JsonElement v, string at) =>
            v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d)
                ? d : throw CollectionException.BadJson($"invalid type for `{at}`: expected a number, got {v.GetRawText()}");
    }
}
