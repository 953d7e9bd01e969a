using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Collections;

/// <summary>
/// Qdrant's <c>order_by</c>: points ranked by a numeric or datetime payload key (which must have a range-capable
/// payload index), ascending by default, starting at <see cref="StartFrom"/> when given.
/// </summary>
/// <param name="Key">The payload key.</param>
/// <param name="Descending">Highest value first?</param>
/// <param name="StartFrom">The first value kept (inclusive): the lowest for ascending order, the highest for descending.</param>
public sealed record OrderBy(string Key, bool Descending, double? StartFrom)
{
    /// <summary>The index data types <c>order_by</c> accepts (those serving <c>range</c> conditions).</summary>
    public static bool IsRangeIndex(string? dataType) => dataType is "integer" or "float" or "datetime";

    /// <summary>
    /// The value the point is ranked by: among its values under <see cref="Key"/> (numbers, or datetimes as
    /// microseconds for a datetime index) past <see cref="StartFrom"/>, the first in this order; null when none.
    /// </summary>
    public double? ValueOf(JsonObject? payload, PayloadKey key, bool datetime)
    {
        if (payload is null) return null;
        var values = new List<JsonNode?>();
        key.Select(payload, values);
        double? best = null;
        foreach (var v in values)
        {
            if (v is JsonArray array)
            {
                foreach (var item in array) Consider(item, datetime, ref best);
            }
            else Consider(v, datetime, ref best);
        }

        return best;
    }

    private void Consider(JsonNode? node, bool datetime, ref double? best)
    {
        if (node is not JsonValue value) return;
        double number;
        if (datetime)
        {
            if (!value.TryGetValue(out string? text) || !DatetimeParser.TryParseUtcTicks(text, out long ticks)) return;
            number = Microseconds(ticks);
        }
        else if (value.GetValueKind() != System.Text.Json.JsonValueKind.Number || !value.TryGetValue(out number)) return;

        if (StartFrom is double start && (Descending ? number > start : number < start)) return;
        if (best is not double b || (Descending ? number > b : number < b)) best = number;
    }

    /// <summary>UTC ticks as microseconds since the Unix epoch.</summary>
    public static double Microseconds(long utcTicks) => (utcTicks - DateTime.UnixEpoch.Ticks) / 10;
}
