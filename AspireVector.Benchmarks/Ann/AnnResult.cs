namespace AspireVector.Benchmarks.Ann;

/// <summary>Figures of one <c>ann</c> run, as written to <c>--json</c>.</summary>
public sealed record AnnResult
{
    public required string Dataset { get; init; }
    public required string Metric { get; init; }
    public required int M { get; init; }
    public required int EfConstruct { get; init; }
    public required string Quantization { get; init; }
    public required int BuildThreads { get; init; }
    public required int Vectors { get; init; }
    public required int Dimension { get; init; }
    public required double BuildSeconds { get; init; }
    public required double BuildCpuSeconds { get; init; }
    public required double BytesPerVector { get; init; }
    public required double ExactQps { get; init; }
    public required List<AnnEfResult> Runs { get; init; }
    public AnnScaling? Scaling { get; init; }
}

/// <summary>Recall and single-thread speed at one search ef; <c>CpuQps</c> is queries per CPU second (robust to load).</summary>
public sealed record AnnEfResult(int Ef, double Recall, double Qps, double CpuQps, double P50Micros, double P99Micros);

/// <summary>Search throughput at 1 and N threads for one ef, per wall-clock and per CPU second.</summary>
public sealed record AnnScaling(int Ef, int Threads, double SingleThreadQps, double MultiThreadQps,
    double SingleThreadCpuQps, double MultiThreadCpuQps)
{
    public int Rounds { get; init; } = 1;

    /// <summary>N-thread over 1-thread QPS of each round (1 and N threads timed back to back).</summary>
    public IReadOnlyList<double> RoundSpeedups { get; init; } = [];

    /// <summary>Median of <see cref="RoundSpeedups"/>: the figure reported as the scaling.</summary>
    public double MedianSpeedup { get; init; }

    /// <summary>How an in-cache arithmetic loop scales on the same machine in the same run: the ceiling.</summary>
    public double MachineSpeedup { get; init; }

    /// <summary>How independent random reads over 256 MiB scale on the same machine in the same run: the memory system's ceiling.</summary>
    public double MemorySpeedup { get; init; }

    public double Speedup => MedianSpeedup > 0 ? MedianSpeedup : SingleThreadQps > 0 ? MultiThreadQps / SingleThreadQps : 0;

    /// <summary>Work per query at N threads relative to 1 (1.0: no contention, so speedup is bounded by free cores).</summary>
    public double CpuEfficiency => SingleThreadCpuQps > 0 ? MultiThreadCpuQps / SingleThreadCpuQps : 0;
}
