using System.Globalization;
using System.Text;

namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>
/// Lexical rules of the Prometheus text exposition format 0.0.4: which characters a metric or label
/// name may hold, how label values and HELP text are escaped, and how sample values are spelled.
/// </summary>
public static class PrometheusText
{
    /// <summary>The content type a scrape answers with.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// Turns <paramref name="name"/> into a valid metric name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>):
    /// every other character becomes <c>_</c> and a leading digit gets a <c>_</c> in front.
    /// </summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>
    /// Turns <paramref name="name"/> into a valid label name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>). Names
    /// starting with <c>__</c> are reserved for Prometheus itself, so they get a leading letter.
    /// </summary>
    public static string SanitizeLabelName(string name)
    {
        var sanitized = Sanitize(name, allowColon: false);
        return sanitized.StartsWith("__", StringComparison.Ordinal) ? "key" + sanitized : sanitized;
    }

    /// <summary>Appends a label value with <c>\</c>, <c>"</c> and line feeds escaped.</summary>
    public static void AppendLabelValue(StringBuilder output, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': output.Append("\\\\"); break;
                case '"': output.Append("\\\""); break;
                case '\n': output.Append("\\n"); break;
                default: output.Append(c); break;
            }
        }
    }

    /// <summary>Appends HELP text with <c>\</c> and line feeds escaped (quotes stay as they are).</summary>
    public static void AppendHelp(StringBuilder output, string help)
    {
        foreach (var c in help)
        {
            switch (c)
            {
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                default: output.Append(c); break;
            }
        }
    }

    /// <summary>Appends a sample value: Go-style floats, with <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.</summary>
    public static void AppendValue(StringBuilder output, double value)
    {
        if (double.IsNaN(value))
        {
            output.Append("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            output.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            output.Append("-Inf");
        }
        else
        {
            output.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Appends an integral sample value.</summary>
    public static void AppendValue(StringBuilder output, long value) =>
        output.Append(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Formats a label value object (tags may be strings, numbers, booleans) invariantly.</summary>
    public static string FormatTagValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string FormatDouble(double value)
    {
        var output = new StringBuilder();
        AppendValue(output, value);
        return output.ToString();
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        StringBuilder? output = null;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_'
                || (allowColon && c == ':')
                || (i > 0 && c is >= '0' and <= '9');
            if (valid && output is null)
            {
                continue;
            }

            if (output is null)
            {
                output = new StringBuilder(name.Length + 1);
                output.Append(name, 0, i);
            }

            if (valid)
            {
                output.Append(c);
            }
            else if (i == 0 && c is >= '0' and <= '9')
            {
                output.Append('_').Append(c);
            }
            else
            {
                output.Append('_');
            }
        }

        return output?.ToString() ?? name;
    }
}
