using System.Globalization;
using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;

namespace AspireVector.Node.Collections;

/// <summary>
/// Qdrant's score-boosting formula (<c>{"formula": .., "defaults": {..}}</c>): an expression over the prefetches'
/// scores (<c>$score</c>, <c>$score[i]</c>), payload values, conditions (1 when a point matches, else 0), geo distances
/// and datetimes, evaluated in double precision for each candidate a query's prefetches found.
/// </summary>
/// <param name="Root">The expression.</param>
/// <param name="Conditions">The conditions the expression uses, by <see cref="Condition.Index"/>.</param>
/// <param name="Defaults">Values for <c>$score[i]</c> and payload keys a point lacks.</param>
public sealed record ScoreFormula(ScoreFormula.Expression Root, IReadOnlyList<QueryFilter> Conditions, IReadOnlyDictionary<string, JsonNode?> Defaults)
{
    /// <summary>What a candidate is scored with.</summary>
    /// <param name="Scores">Each prefetch's scores, by prefetch index.</param>
    /// <param name="Matches">The candidates matching each condition, by condition index.</param>
    public sealed record Candidates(IReadOnlyList<IReadOnlyDictionary<PointId, float>> Scores, IReadOnlyList<HashSet<PointId>> Matches);

    /// <summary>The score of <paramref name="id"/> (payload <paramref name="payload"/>); 400 for a missing or mistyped value or a non-finite result.</summary>
    public float Evaluate(PointId id, JsonObject? payload, Candidates candidates)
    {
        // Sums and products Qdrant does not check can still leave the range of a score: refused rather than sent as Infinity.
        float score = (float)Root.Evaluate(new Point(id, payload, candidates, this));
        return float.IsFinite(score) ? score : throw new CollectionException(400, $"Bad request: The formula produced a non-finite score ({score.ToString(CultureInfo.InvariantCulture)}) for point {id}");
    }

    /// <summary>One candidate being scored.</summary>
    public readonly record struct Point(PointId Id, JsonObject? Payload, Candidates Candidates, ScoreFormula Formula)
    {
        /// <summary>The value at <paramref name="key"/>, else its default; 400 naming <paramref name="expected"/> when neither exists.</summary>
        public JsonNode Value(PayloadKey key, string expected)
        {
            var values = new List<JsonNode?>(1);
            if (Payload is not null)
            {
                foreach (var v in key.Select(Payload))
                {
                    if (v is JsonArray array) values.AddRange(array);
                    else values.Add(v);
                }
            }

            values.RemoveAll(v => v is null);
            JsonNode? value = values.Count switch
            {
                0 => Formula.Defaults.GetValueOrDefault(key.ToString()),
                1 => values[0],
                _ => new JsonArray([.. values.Select(v => v!.DeepClone())]),
            };
            return value ?? throw Error(key, expected, "No value found in a payload nor defaults");
        }

        /// <summary>Qdrant's error for a variable of the wrong type or without a value.</summary>
        public static CollectionException Error(PayloadKey key, string expected, string description) =>
            new(400, $"Bad request: Expected {expected} value for {key} in the payload and/or in the formula defaults. Error: {description}");
    }

    /// <summary>A node of the expression.</summary>
    public abstract record Expression
    {
        /// <summary>This node's value for <paramref name="point"/>.</summary>
        public abstract double Evaluate(Point point);

        /// <summary>Qdrant's error for a non-finite intermediate result.</summary>
        protected static double Finite(double value, string expression) => double.IsFinite(value)
            ? value
            : throw new CollectionException(400, $"Bad request: The expression {expression} produced a non-finite number");
    }

    /// <summary>A number.</summary>
    public sealed record Constant(double Value) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point) => Value;
    }

    /// <summary><c>$score[i]</c>: the point's score in prefetch <paramref name="Prefetch"/>, else the default, else 0.</summary>
    public sealed record Score(int Prefetch) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point)
        {
            var scores = point.Candidates.Scores;
            if (Prefetch < scores.Count && scores[Prefetch].TryGetValue(point.Id, out float s)) return s;
            return point.Formula.Defaults.GetValueOrDefault($"$score[{Prefetch}]") is JsonValue v && v.TryGetValue(out double d) ? d : 0;
        }
    }

    /// <summary>A numeric payload value (or its default).</summary>
    public sealed record Variable(PayloadKey Key) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point) =>
            point.Value(Key, "number") is JsonValue v && v.TryGetValue(out double d) ? d : throw Point.Error(Key, "number", "Value is not a number");
    }

    /// <summary>1 when the point matches the condition, else 0.</summary>
    public sealed record Condition(int Index) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point) => point.Candidates.Matches[Index].Contains(point.Id) ? 1 : 0;
    }

    /// <summary>Metres from <paramref name="Origin"/> to the geo point at <paramref name="Key"/> (haversine).</summary>
    public sealed record GeoDistance(GeoPoint Origin, PayloadKey Key) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point)
        {
            var value = point.Value(Key, "geo point");
            if (value is JsonObject o && o["lon"] is JsonValue lon && lon.TryGetValue(out double x) && o["lat"] is JsonValue lat && lat.TryGetValue(out double y))
                return Origin.DistanceTo(new GeoPoint(x, y));
            throw Point.Error(Key, "geo point", "Value is not a geo point");
        }
    }

    /// <summary>A datetime payload value, as seconds since the Unix epoch.</summary>
    public sealed record DatetimeKey(PayloadKey Key) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point) =>
            point.Value(Key, "datetime") is JsonValue v && v.TryGetValue(out string? text) && DatetimeParser.TryParseUtcTicks(text, out long ticks)
                ? Seconds(ticks)
                : throw Point.Error(Key, "datetime", "Value is not a datetime");

        /// <summary>UTC ticks as seconds since the Unix epoch.</summary>
        public static double Seconds(long utcTicks) => (utcTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
    }

    /// <summary>The product; 0 as soon as a factor is 0 (the later ones are not evaluated, as in Qdrant).</summary>
    public sealed record Mult(IReadOnlyList<Expression> Factors) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point)
        {
            double product = 1;
            foreach (var f in Factors)
            {
                double v = f.Evaluate(point);
                if (v == 0) return 0;
                product *= v;
            }

            return product;
        }
    }

    /// <summary>The sum.</summary>
    public sealed record Sum(IReadOnlyList<Expression> Terms) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point)
        {
            double sum = 0;
            foreach (var t in Terms) sum += t.Evaluate(point);
            return sum;
        }
    }

    /// <summary><c>left / right</c>; <paramref name="ByZeroDefault"/> when dividing by 0 (0 when the left side is 0).</summary>
    public sealed record Div(Expression Left, Expression Right, double? ByZeroDefault) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point)
        {
            double left = Left.Evaluate(point);
            if (left == 0) return 0;
            double right = Right.Evaluate(point);
            if (right == 0 && ByZeroDefault is double d) return d;
            return Finite(left / right, $"{Text(left)}/{Text(right)} = {Text(left / right)}");
        }
    }

    /// <summary>A function of one argument: <c>neg</c>, <c>abs</c>, <c>sqrt</c>, <c>exp</c>, <c>log10</c>, <c>ln</c>.</summary>
    public sealed record Unary(string Function, Expression Argument) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point)
        {
            double x = Argument.Evaluate(point);
            return Function switch
            {
                "neg" => -x,
                "abs" => Math.Abs(x),
                "sqrt" => Finite(Math.Sqrt(x), $"√{Text(x)} = {Text(Math.Sqrt(x))}"),
                "exp" => Finite(Math.Exp(x), $"exp({Text(x)}) = {Text(Math.Exp(x))}"),
                "log10" => Finite(Math.Log10(x), $"log10({Text(x)}) = {Text(Math.Log10(x))}"),
                _ => Finite(Math.Log(x), $"ln({Text(x)}) = {Text(Math.Log(x))}"),
            };
        }
    }

    /// <summary><c>base ^ exponent</c>.</summary>
    public sealed record Pow(Expression Base, Expression Exponent) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point)
        {
            double b = Base.Evaluate(point), e = Exponent.Evaluate(point);
            return Finite(Math.Pow(b, e), $"{Text(b)}^{Text(e)} = {Text(Math.Pow(b, e))}");
        }
    }

    /// <summary>
    /// A decay of <paramref name="X"/> around <paramref name="Target"/> (0 when absent) into [0, 1]: <c>lin</c>,
    /// <c>exp</c> or <c>gauss</c>, shaped by <paramref name="Lambda"/> (from Qdrant's scale and midpoint).
    /// </summary>
    public sealed record Decay(string Kind, Expression X, Expression? Target, double Lambda) : Expression
    {
        /// <inheritdoc/>
        public override double Evaluate(Point point)
        {
            double x = X.Evaluate(point), target = Target?.Evaluate(point) ?? 0;
            double diff = x - target;
            return Kind switch
            {
                "lin" => Math.Max(-Lambda * Math.Abs(diff) + 1, 0),
                "exp" => Math.Exp(Lambda * Math.Abs(diff)),
                _ => Math.Exp(Lambda * diff * diff),
            };
        }
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
