using System.Globalization;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Query-string parameters read and refused as Qdrant's query deserializer (serde_urlencoded) refuses them:
/// "Deserialize error in query parameters: ..." for a value of the wrong form, "Validation error in query
/// parameters: [...]" for one out of range.
/// </summary>
public static class QueryParameters
{
    /// <summary>A 400 for a query parameter that does not parse.</summary>
    public static CollectionException DeserializeError(string detail) => new(400, "Deserialize error in query parameters: " + detail);

    /// <summary>A 400 for a query parameter that parses but fails a range check (<paramref name="detail"/> names the field).</summary>
    public static CollectionException ValidationError(string detail) => new(400, $"Validation error in query parameters: [{detail}]");

    /// <summary>An optional boolean: exactly <c>true</c> or <c>false</c>, as Rust's <c>bool</c> parsing takes it.</summary>
    public static bool? ReadBool(IQueryCollection query, string name)
    {
        if (Single(query, name) is not { } text) return null;
        return text switch
        {
            "true" => true,
            "false" => false,
            _ => throw DeserializeError("provided string was not `true` or `false`"),
        };
    }

    /// <summary>
    /// An optional unsigned integer (Rust's integer parsing: an optional leading <c>+</c>, digits only, at most
    /// <paramref name="max"/>).
    /// </summary>
    public static ulong? ReadUnsigned(IQueryCollection query, string name, ulong max)
    {
        if (Single(query, name) is not { } text) return null;
        string digits = text.StartsWith('+') ? text[1..] : text;
        if (digits.Length == 0) throw DeserializeError(text.Length == 0 ? "cannot parse integer from empty string" : "invalid digit found in string");
        foreach (char c in digits) if (c is < '0' or > '9') throw DeserializeError("invalid digit found in string");
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            throw DeserializeError("number too large to fit in target type");
        return value;
    }

    /// <summary>The parameter's only value, null when absent; a repeated parameter is refused as serde refuses it.</summary>
    public static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values)) return null;
        if (values.Count > 1) throw DeserializeError($"duplicate field `{name}`");
        return values[0] ?? "";
    }
}
