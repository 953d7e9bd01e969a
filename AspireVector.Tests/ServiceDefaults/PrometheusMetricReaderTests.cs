using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireVector.ServiceDefaults.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace AspireVector.Tests.ServiceDefaults;

public sealed class PrometheusMetricReaderTests : IDisposable
{
    // A meter name unique to this test instance: the SDK listens process-wide and tests run in parallel.
    private readonly string _meterName = "AspireVector.Test." + Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly PrometheusMetricReader _reader;
    private readonly MeterProvider _provider;
    private string? _prefix;

    public PrometheusMetricReaderTests()
    {
        _meter = new Meter(_meterName);
        _reader = new PrometheusMetricReader(() => _prefix);
        _provider = Sdk.CreateMeterProviderBuilder().AddMeter(_meterName).AddReader(_reader).Build();
    }

    public void Dispose()
    {
        _provider.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Counter_gets_help_type_and_total_suffix()
    {
        var counter = _meter.CreateCounter<long>("requests", description: "handled requests");
        counter.Add(2, new KeyValuePair<string, object?>("method", "GET"));
        counter.Add(3, new KeyValuePair<string, object?>("method", "GET"));

        var lines = Lines(_reader.Scrape());

        Assert.Contains("# HELP requests_total handled requests", lines);
        Assert.Contains("# TYPE requests_total counter", lines);
        Assert.Contains("requests_total{method=\"GET\"} 5", lines);
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_inf_sum_and_count()
    {
        var histogram = _meter.CreateHistogram("latency", "s", "how long", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        histogram.Record(0.05);
        histogram.Record(0.5);
        histogram.Record(0.7);
        histogram.Record(5);

        var lines = Lines(_reader.Scrape());

        Assert.Contains("# TYPE latency_seconds histogram", lines);
        Assert.Contains("latency_seconds_bucket{le=\"0.1\"} 1", lines);
        Assert.Contains("latency_seconds_bucket{le=\"1\"} 3", lines);
        Assert.Contains("latency_seconds_bucket{le=\"+Inf\"} 4", lines);
        Assert.Contains("latency_seconds_sum 6.25", lines);
        Assert.Contains("latency_seconds_count 4", lines);
        var bucketLines = lines.Where(l => l.StartsWith("latency_seconds_bucket", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, bucketLines.Count);
        Assert.EndsWith("+Inf\"} 4", bucketLines[^1]);
    }

    [Fact]
    public void Histogram_labels_come_before_le()
    {
        var histogram = _meter.CreateHistogram("op_duration", "s", null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] });
        histogram.Record(0.5, new KeyValuePair<string, object?>("op", "search"));

        var lines = Lines(_reader.Scrape());

        Assert.Contains("op_duration_seconds_bucket{op=\"search\",le=\"1\"} 1", lines);
        Assert.Contains("op_duration_seconds_count{op=\"search\"} 1", lines);
    }

    [Fact]
    public void Gauges_and_updown_counters_are_gauges()
    {
        _meter.CreateObservableGauge("queue_depth", () => 7.5);
        var updown = _meter.CreateUpDownCounter<long>("in_flight");
        updown.Add(3);
        updown.Add(-1);

        var lines = Lines(_reader.Scrape());

        Assert.Contains("# TYPE queue_depth gauge", lines);
        Assert.Contains("queue_depth 7.5", lines);
        Assert.Contains("# TYPE in_flight gauge", lines);
        Assert.Contains("in_flight 2", lines);
    }

    [Fact]
    public void Label_values_and_help_are_escaped_and_label_names_sanitised()
    {
        var counter = _meter.CreateCounter<long>("escaped", description: "line one\nback\\slash");
        counter.Add(1, new KeyValuePair<string, object?>("peer.uri", "http://a\"b\\c\nd"));

        var lines = Lines(_reader.Scrape());

        Assert.Contains("# HELP escaped_total line one\\nback\\\\slash", lines);
        Assert.Contains("escaped_total{peer_uri=\"http://a\\\"b\\\\c\\nd\"} 1", lines);
    }

    [Fact]
    public void Prefix_applies_to_every_family_at_scrape_time()
    {
        _meter.CreateCounter<long>("hits").Add(1);
        Assert.Contains("hits_total 1", Lines(_reader.Scrape()));

        _prefix = "qdrant_";
        var lines = Lines(_reader.Scrape());

        Assert.Contains("# TYPE qdrant_hits_total counter", lines);
        Assert.Contains("qdrant_hits_total 1", lines);
    }

    [Fact]
    public void Every_family_appears_once_and_in_one_block()
    {
        var counter = _meter.CreateCounter<long>("blocks");
        counter.Add(1, new KeyValuePair<string, object?>("k", "a"));
        counter.Add(1, new KeyValuePair<string, object?>("k", "b"));
        _meter.CreateObservableGauge("other", () => 1);

        var lines = Lines(_reader.Scrape());

        Assert.Single(lines, l => l == "# TYPE blocks_total counter");
        var first = lines.FindIndex(l => l.StartsWith("blocks_total{", StringComparison.Ordinal));
        Assert.StartsWith("blocks_total{", lines[first + 1]);
    }

    [Fact]
    public void Counters_stay_cumulative_across_scrapes()
    {
        var counter = _meter.CreateCounter<long>("ticks");
        counter.Add(1);
        _reader.Scrape();
        counter.Add(1);

        Assert.Contains("ticks_total 2", Lines(_reader.Scrape()));
    }

    private static List<string> Lines(string text)
    {
        Assert.EndsWith("\n", text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
