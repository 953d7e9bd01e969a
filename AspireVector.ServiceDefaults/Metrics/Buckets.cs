namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>Histogram bucket boundaries shared by every latency instrument, in seconds.</summary>
public static class Buckets
{
    /// <summary>
    /// From 50 µs (an in-memory search) to 10 s (a slow flush or a cross-node timeout); roughly
    /// 2.5x apart so a p99 lands in a narrow bucket without a long series list.
    /// </summary>
    public static IReadOnlyList<double> LatencySeconds { get; } =
    [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];
}
