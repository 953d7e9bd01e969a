using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>
/// Renders each batch the SDK hands over into the text buffer of the scrape in progress. Only
/// <see cref="PrometheusMetricReader"/> drives it, one scrape at a time.
/// </summary>
internal sealed class PrometheusExporter : BaseExporter<Metric>
{
    private readonly Func<string?> _prefix;
    private StringBuilder? _output;

    public PrometheusExporter(Func<string?> prefix) => _prefix = prefix;

    /// <summary>Points the exporter at the buffer of the scrape that is about to collect.</summary>
    public void BeginScrape(StringBuilder output) => _output = output;

    /// <summary>Detaches the buffer once the scrape has collected.</summary>
    public void EndScrape() => _output = null;

    /// <inheritdoc />
    public override ExportResult Export(in Batch<Metric> batch)
    {
        var output = _output;
        if (output is null)
        {
            // A collection not started by a scrape (e.g. the final one at shutdown) has nowhere to go.
            return ExportResult.Success;
        }

        var prefix = _prefix();
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in batch)
        {
            PrometheusSerializer.WriteMetric(output, metric, prefix, written);
        }

        return ExportResult.Success;
    }
}
