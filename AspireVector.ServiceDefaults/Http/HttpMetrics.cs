using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireVector.ServiceDefaults.Metrics;

namespace AspireVector.ServiceDefaults.Http;

/// <summary>
/// Qdrant's REST families: <c>rest_responses_total</c>, <c>rest_responses_fail_total</c> and the
/// <c>rest_responses_duration_seconds</c> histogram, labelled by method, route template and status.
/// </summary>
/// <remarks>Recording is lock-free: the SDK finds the series for a tag set without taking a lock.</remarks>
public sealed class HttpMetrics : IMeterOwner
{
    /// <summary>The meter these instruments live on.</summary>
    public const string Name = "AspireVector.Http";

    // Boxing an int status on every request would allocate; the boxes for every valid code are made once.
    private static readonly object[] BoxedStatus = CreateBoxedStatus();

    private readonly Counter<long> _responses;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments on a meter from the host's <paramref name="meterFactory"/>.</summary>
    public HttpMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _responses = meter.CreateCounter<long>("rest_responses_total", description: "total number of responses");
        _failures = meter.CreateCounter<long>("rest_responses_fail_total", description: "total number of failed responses");
        _duration = meter.CreateHistogram("rest_responses_duration_seconds", unit: "s",
            description: "response duration", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.LatencySeconds });
    }

    /// <inheritdoc />
    public string MeterName => Name;

    /// <summary>Records one answered request.</summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="endpoint">Route template (never the raw path, which would explode cardinality).</param>
    /// <param name="status">HTTP status code.</param>
    /// <param name="elapsed">Time from the request's arrival to the end of the handler.</param>
    public void RecordResponse(string method, string endpoint, int status, TimeSpan elapsed)
    {
        var statusValue = (uint)status < (uint)BoxedStatus.Length ? BoxedStatus[status] : status;
        var tags = new TagList
        {
            { "method", method },
            { "endpoint", endpoint },
            { "status", statusValue },
        };
        _responses.Add(1, tags);
        if (status >= 400)
        {
            _failures.Add(1, tags);
        }

        _duration.Record(elapsed.TotalSeconds, tags);
    }

    private static object[] CreateBoxedStatus()
    {
        var boxes = new object[600];
        for (var i = 0; i < boxes.Length; i++)
        {
            boxes[i] = i;
        }

        return boxes;
    }
}
