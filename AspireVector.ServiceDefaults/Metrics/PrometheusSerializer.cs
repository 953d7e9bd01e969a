using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>Writes OpenTelemetry metric streams as Prometheus text exposition format 0.0.4 families.</summary>
public static class PrometheusSerializer
{
    /// <summary>
    /// Appends one family (HELP, TYPE, samples) for <paramref name="metric"/>. Families without points
    /// are left out, and a family name already in <paramref name="writtenFamilies"/> is skipped, because
    /// the format requires every family to appear once, in one block.
    /// </summary>
    public static void WriteMetric(StringBuilder output, Metric metric, string? prefix, ISet<string> writtenFamilies)
    {
        var type = metric.MetricType;
        if (type == MetricType.ExponentialHistogram)
        {
            // Not representable in format 0.0.4; nothing here configures exponential histograms.
            return;
        }

        var isCounter = type is MetricType.LongSum or MetricType.DoubleSum;
        var family = PrometheusNames.FamilyName(prefix, metric.Name, metric.Unit, isCounter);
        var hasPoints = false;
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            _ = point;
            hasPoints = true;
            break;
        }

        if (!hasPoints || !writtenFamilies.Add(family))
        {
            return;
        }

        output.Append("# HELP ").Append(family).Append(' ');
        PrometheusText.AppendHelp(output, string.IsNullOrEmpty(metric.Description) ? metric.Name : metric.Description);
        output.Append('\n');
        output.Append("# TYPE ").Append(family).Append(' ').Append(TypeName(type)).Append('\n');

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            switch (type)
            {
                case MetricType.LongSum:
                case MetricType.LongSumNonMonotonic:
                    WriteSample(output, family, point.Tags, null, null);
                    PrometheusText.AppendValue(output, point.GetSumLong());
                    output.Append('\n');
                    break;
                case MetricType.DoubleSum:
                case MetricType.DoubleSumNonMonotonic:
                    WriteSample(output, family, point.Tags, null, null);
                    PrometheusText.AppendValue(output, point.GetSumDouble());
                    output.Append('\n');
                    break;
                case MetricType.LongGauge:
                    WriteSample(output, family, point.Tags, null, null);
                    PrometheusText.AppendValue(output, point.GetGaugeLastValueLong());
                    output.Append('\n');
                    break;
                case MetricType.DoubleGauge:
                    WriteSample(output, family, point.Tags, null, null);
                    PrometheusText.AppendValue(output, point.GetGaugeLastValueDouble());
                    output.Append('\n');
                    break;
                case MetricType.Histogram:
                    WriteHistogram(output, family, point);
                    break;
            }
        }
    }

    private static void WriteHistogram(StringBuilder output, string family, in MetricPoint point)
    {
        long cumulative = 0;
        var bucketName = family + "_bucket";
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            var bound = new StringBuilder();
            PrometheusText.AppendValue(bound, bucket.ExplicitBound);
            WriteSample(output, bucketName, point.Tags, "le", bound.ToString());
            PrometheusText.AppendValue(output, cumulative);
            output.Append('\n');
        }

        WriteSample(output, family + "_sum", point.Tags, null, null);
        PrometheusText.AppendValue(output, point.GetHistogramSum());
        output.Append('\n');
        WriteSample(output, family + "_count", point.Tags, null, null);
        PrometheusText.AppendValue(output, point.GetHistogramCount());
        output.Append('\n');
    }

    private static void WriteSample(
        StringBuilder output, string name, ReadOnlyTagCollection tags, string? extraName, string? extraValue)
    {
        output.Append(name);
        var first = true;
        HashSet<string>? seen = null;
        foreach (var tag in tags)
        {
            var labelName = PrometheusText.SanitizeLabelName(tag.Key);
            seen ??= new HashSet<string>(StringComparer.Ordinal);
            if (labelName == extraName || !seen.Add(labelName))
            {
                // Two tags that sanitise to one label (or clash with "le") would make an invalid sample.
                continue;
            }

            output.Append(first ? '{' : ',').Append(labelName).Append("=\"");
            PrometheusText.AppendLabelValue(output, PrometheusText.FormatTagValue(tag.Value));
            output.Append('"');
            first = false;
        }

        if (extraName is not null)
        {
            output.Append(first ? '{' : ',').Append(extraName).Append("=\"").Append(extraValue).Append('"');
            first = false;
        }

        output.Append(first ? " " : "} ");
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.LongSum or MetricType.DoubleSum => "counter",
        MetricType.Histogram => "histogram",
        _ => "gauge",
    };
}
