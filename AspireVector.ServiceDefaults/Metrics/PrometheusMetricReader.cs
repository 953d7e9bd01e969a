using System.Text;
using OpenTelemetry.Metrics;

namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>
/// A pull reader: every scrape of <c>/metrics</c> collects the SDK's cumulative metric streams and
/// renders them in the Prometheus text format. Recording stays on the SDK's lock-free paths; only
/// concurrent scrapes serialise here.
/// </summary>
public sealed class PrometheusMetricReader : BaseExportingMetricReader
{
    private readonly PrometheusExporter _exporter;
    private readonly Lock _scrapeLock = new();

    /// <summary>Creates a reader whose family names get <paramref name="prefix"/>'s value prepended.</summary>
    public PrometheusMetricReader(Func<string?> prefix)
        : this(new PrometheusExporter(prefix))
    {
    }

    private PrometheusMetricReader(PrometheusExporter exporter)
        : base(exporter)
    {
        _exporter = exporter;
        TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
    }

    /// <summary>Collects every metric now and returns the exposition text.</summary>
    /// <param name="timeoutMilliseconds">How long observable callbacks may take in total.</param>
    public string Scrape(int timeoutMilliseconds = 10_000)
    {
        lock (_scrapeLock)
        {
            var output = new StringBuilder(16 * 1024);
            _exporter.BeginScrape(output);
            try
            {
                Collect(timeoutMilliseconds);
            }
            finally
            {
                _exporter.EndScrape();
            }

            return output.ToString();
        }
    }
}
