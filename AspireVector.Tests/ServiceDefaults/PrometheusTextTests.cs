using System.Text;
using AspireVector.ServiceDefaults.Metrics;

namespace AspireVector.Tests.ServiceDefaults;

public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("rest_responses_total", "rest_responses_total")]
    [InlineData("http.server.duration", "http_server_duration")]
    [InlineData("2xx-count", "_2xx_count")]
    [InlineData("ns:metric", "ns:metric")]
    [InlineData("naïve", "na_ve")]
    [InlineData("", "_")]
    public void Metric_names_are_sanitised(string name, string expected) =>
        Assert.Equal(expected, PrometheusText.SanitizeMetricName(name));

    [Theory]
    [InlineData("peer_uri", "peer_uri")]
    [InlineData("http.route", "http_route")]
    [InlineData("ns:label", "ns_label")]
    [InlineData("9lives", "_9lives")]
    [InlineData("__name__", "key__name__")]
    public void Label_names_are_sanitised(string name, string expected) =>
        Assert.Equal(expected, PrometheusText.SanitizeLabelName(name));

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline()
    {
        var output = new StringBuilder();
        PrometheusText.AppendLabelValue(output, "a\\b\"c\nd");
        Assert.Equal("a\\\\b\\\"c\\nd", output.ToString());
    }

    [Fact]
    public void Help_escapes_backslash_and_newline_but_not_quotes()
    {
        var output = new StringBuilder();
        PrometheusText.AppendHelp(output, "say \"hi\"\\\nbye");
        Assert.Equal("say \"hi\"\\\\\\nbye", output.ToString());
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(0.25, "0.25")]
    [InlineData(1e-7, "1e-07")]
    [InlineData(1e21, "1e+21")]
    [InlineData(-3.0, "-3")]
    public void Values_use_prometheus_spellings(double value, string expected)
    {
        var output = new StringBuilder();
        PrometheusText.AppendValue(output, value);
        Assert.Equal(expected, output.ToString());
    }

    [Theory]
    [InlineData("rest_responses_total", null, true, "rest_responses_total")]
    [InlineData("raft_leader_changes", null, true, "raft_leader_changes_total")]
    [InlineData("process_cpu_seconds_total", "s", true, "process_cpu_seconds_total")]
    [InlineData("wal_flush_duration", "s", false, "wal_flush_duration_seconds")]
    [InlineData("wal_flush_duration_seconds", "s", false, "wal_flush_duration_seconds")]
    [InlineData("heap", "By", false, "heap_bytes")]
    [InlineData("requests", "{request}", true, "requests_total")]
    [InlineData("ratio", "1", false, "ratio")]
    [InlineData("throughput", "By/s", false, "throughput_bytes_per_second")]
    public void Family_names_follow_the_otel_prometheus_rules(string name, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusNames.FamilyName(null, name, unit, counter));

    [Fact]
    public void Prefix_is_prepended_verbatim() =>
        Assert.Equal("qdrant_collections_total", PrometheusNames.FamilyName("qdrant_", "collections_total", null, false));
}
