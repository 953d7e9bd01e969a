using System.Text.Json;

namespace AspireVector.Node.Collections;

/// <summary>
/// Qdrant's <c>order_value</c>: the number a point was ordered by, an integer for <c>integer</c> and
/// <c>datetime</c> indexes (datetimes as microseconds since the Unix epoch), a float for <c>float</c> ones.
/// </summary>
/// <param name="Value">The value.</param>
/// <param name="Integer">Written as an integer?</param>
public readonly record struct OrderValue(double Value, bool Integer)
{
    /// <summary>Writes the value as Qdrant does.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        if (Integer) w.WriteNumberValue((long)Value);
        else w.WriteNumberValue(Value);
    }
}
