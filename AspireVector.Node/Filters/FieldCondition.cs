using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>
/// A condition on one payload field (Qdrant's <c>FieldCondition</c>): <c>match</c>, <c>range</c>, geo areas or
/// <c>values_count</c>. When several are given, a value passes if it passes any of them (Qdrant's semantics);
/// with <c>values_count</c> only the count is checked. A field passes when any selected value passes, an array
/// value when any of its elements does.
/// </summary>
public sealed class FieldCondition : Condition
{
    /// <summary>Creates a field condition; at least one of the parts must be given (the parser ensures it).</summary>
    public FieldCondition(PayloadKey key, MatchCondition? match = null, NumberRange? range = null,
        DatetimeRange? datetimeRange = null, GeoRadius? geoRadius = null, GeoBoundingBox? geoBoundingBox = null,
        GeoPolygon? geoPolygon = null, ValuesCount? valuesCount = null)
    {
        Key = key;
        Match = match;
        Range = range;
        DatetimeRange = datetimeRange;
        GeoRadius = geoRadius;
        GeoBoundingBox = geoBoundingBox;
        GeoPolygon = geoPolygon;
        ValuesCount = valuesCount;
    }

    /// <summary>The field.</summary>
    public PayloadKey Key { get; }

    /// <summary><c>match</c>, if given.</summary>
    public MatchCondition? Match { get; }

    /// <summary>A numeric <c>range</c>, if given.</summary>
    public NumberRange? Range { get; }

    /// <summary>A datetime <c>range</c>, if given.</summary>
    public DatetimeRange? DatetimeRange { get; }

    /// <summary><c>geo_radius</c>, if given.</summary>
    public GeoRadius? GeoRadius { get; }

    /// <summary><c>geo_bounding_box</c>, if given.</summary>
    public GeoBoundingBox? GeoBoundingBox { get; }

    /// <summary><c>geo_polygon</c>, if given.</summary>
    public GeoPolygon? GeoPolygon { get; }

    /// <summary><c>values_count</c>, if given.</summary>
    public ValuesCount? ValuesCount { get; }

    internal override bool Matches(in ConditionScope scope)
    {
        var values = Key.Select(scope.Payload);
        if (values.Count == 0) return ValuesCount?.Contains(0) ?? false;
        var text = Match is MatchText ? scope.TextMatcherFor(Key) : null;
        foreach (var value in values)
            if (MatchesSelected(value, text)) return true;
        return false;
    }

    /// <summary>Checks one selected value (arrays by any element), with the field's full-text matcher if any.</summary>
    public bool MatchesSelected(JsonNode? value, ITextMatcher? text)
    {
        if (ValuesCount is not null) return ValuesCount.ContainsCountOf(value);
        if (value is JsonArray array)
        {
            foreach (var element in array)
                if (MatchesElement(element, text)) return true;
            return false;
        }
        return MatchesElement(value, text);
    }

    private bool MatchesElement(JsonNode? value, ITextMatcher? text)
    {
        if (Match is not null && Match.MatchesValue(value, text)) return true;
        if (Range is not null && PayloadValue.TryGetDouble(value, out var number) && Range.Contains(number)) return true;
        if (DatetimeRange is not null && PayloadValue.TryGetString(value, out var s)
            && DatetimeParser.TryParseUtcTicks(s, out var ticks) && DatetimeRange.Contains(ticks)) return true;
        if (GeoRadius is null && GeoBoundingBox is null && GeoPolygon is null) return false;
        if (!PayloadValue.TryGetGeoPoint(value, out var point)) return false;
        return (GeoRadius?.Contains(point) ?? false) || (GeoBoundingBox?.Contains(point) ?? false)
            || (GeoPolygon?.Contains(point) ?? false);
    }
}
