namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>
/// Maps an OpenTelemetry instrument (name, unit, kind) to its Prometheus family name, following the
/// OpenTelemetry-to-Prometheus compatibility rules: sanitised characters, unit suffix, <c>_total</c> on counters.
/// </summary>
public static class PrometheusNames
{
    /// <summary>Builds the family name for an instrument.</summary>
    /// <param name="prefix">Prepended verbatim before sanitising, like Qdrant's <c>service.metrics_prefix</c>.</param>
    /// <param name="name">The instrument name.</param>
    /// <param name="unit">The UCUM unit of the instrument, if any.</param>
    /// <param name="isCounter">Monotonic sums get the <c>_total</c> suffix.</param>
    public static string FamilyName(string? prefix, string name, string? unit, bool isCounter)
    {
        var baseName = PrometheusText.SanitizeMetricName((prefix ?? string.Empty) + name);
        if (isCounter && baseName.EndsWith("_total", StringComparison.Ordinal))
        {
            baseName = baseName[..^"_total".Length];
        }

        var unitSuffix = UnitSuffix(unit);
        if (unitSuffix.Length > 0 && !baseName.EndsWith("_" + unitSuffix, StringComparison.Ordinal)
            && !baseName.Contains("_" + unitSuffix + "_", StringComparison.Ordinal))
        {
            baseName = baseName + "_" + unitSuffix;
        }

        return isCounter ? baseName + "_total" : baseName;
    }

    /// <summary>
    /// The Prometheus spelling of a UCUM unit: <c>s</c> is <c>seconds</c>, <c>By</c> is <c>bytes</c>;
    /// dimensionless <c>1</c> and curly-brace annotations such as <c>{request}</c> add nothing.
    /// </summary>
    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit) || unit == "1" || unit.StartsWith('{'))
        {
            return string.Empty;
        }

        var slash = unit.IndexOf('/');
        if (slash > 0)
        {
            var numerator = UnitSuffix(unit[..slash]);
            var denominator = SingularUnit(unit[(slash + 1)..]);
            return numerator.Length == 0 ? string.Empty : numerator + "_per_" + denominator;
        }

        return unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "us" => "microseconds",
            "ns" => "nanoseconds",
            "min" => "minutes",
            "h" => "hours",
            "By" => "bytes",
            "KiBy" => "kibibytes",
            "MiBy" => "mebibytes",
            "%" => "percent",
            _ => PrometheusText.SanitizeLabelName(unit),
        };
    }

    private static string SingularUnit(string unit) => unit switch
    {
        "s" => "second",
        "min" => "minute",
        "h" => "hour",
        "d" => "day",
        _ => PrometheusText.SanitizeLabelName(unit),
    };
}
