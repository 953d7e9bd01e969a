namespace AspireVector.Benchmarks.Load;

/// <summary>Figures of one <c>load</c> run, as written to <c>--json</c>.</summary>
public sealed record LoadResult
{
    public required string Url { get; init; }
    public required bool StartedNode { get; init; }
    public required int Points { get; init; }
    public required int Dimension { get; init; }
    public required int Batch { get; init; }
    public required int Clients { get; init; }
    public required bool Wait { get; init; }
    public required LoadPhase Upsert { get; init; }

    /// <summary>From the first upsert until every point was in the graph index (upserts return before indexing).</summary>
    public double IndexedSeconds { get; init; }

    public required LoadPhase Search { get; init; }
    public LoadRestart? Restart { get; init; }
}

/// <summary>One timed phase: requests sent, wall time, items per second and request latency percentiles.</summary>
/// <param name="Items">Points for upsert, queries for search.</param>
/// <param name="Rate">Items per second of wall time (points/s or QPS).</param>
public sealed record LoadPhase(int Requests, int Items, double Seconds, double Rate, double P50Millis, double P99Millis, double MaxMillis);

/// <summary>Restart after SIGKILL: from process start until <c>/readyz</c> is 200, and until count returns every point.</summary>
public sealed record LoadRestart(double ReadySeconds, double FullCountSeconds, long Count);
