using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using AspireVector.Node.Index;

namespace AspireVector.Benchmarks.Ann;

/// <summary>
/// The <c>ann</c> command: builds the server's <see cref="HnswVectorIndex"/> over a TEXMEX dataset and reports
/// recall@k, single-thread QPS and latency per ef, build time, memory per vector and thread scaling.
/// </summary>
public static class AnnCommand
{
    /// <summary>Passes over the query set per ef; the first also measures recall.</summary>
    private const int TimedPasses = 3;

    public static int Run(string[] args)
    {
        AnnOptions options;
        try { options = AnnOptions.Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: ann --data DIR --metric l2|cosine [--m 16] [--ef-construct 100] [--ef 16,32,64,128] [--quantization int8|binary|product-x16] [--threads N] [--scaling-rounds 5] [--json out.json]");
            return 2;
        }

        var data = AnnDataset.Load(options.Data, options.Metric);
        Console.WriteLine($"dataset {options.Data}: {data.Count} x {data.Dimension}, {data.QueryCount} queries, metric {options.Metric}");
        var distance = options.Metric == "cosine" ? Distance.Cosine : Distance.Euclid;
        var config = new HnswIndexConfig { M = options.M, EfConstruct = options.EfConstruct, MaxIndexingThreads = options.Threads };
        QuantizationConfig? quantization = options.Quantization switch
        {
            "int8" => new QuantizationConfig { Quantile = 0.99f },
            "binary" => new QuantizationConfig { Kind = QuantizationKind.Binary },
            "none" => null,
            var product => new QuantizationConfig
            {
                Kind = QuantizationKind.Product, Compression = int.Parse(product["product-x".Length..], CultureInfo.InvariantCulture),
                MinTrainingVectors = QuantizationConfig.ProductTrainingVectors,
            },
        };
        using var index = new HnswVectorIndex(data.Dimension, distance, config, quantization, new Random(42));

        var offsets = Enumerable.Range(0, data.Count).ToArray();
        var cpuBefore = ProcessCpu();
        var watch = Stopwatch.StartNew();
        index.UpsertBatch(offsets, data.Base);
        index.WaitUntilLinked();
        // Product centroids are learned in the background; the build ends when the codes are in use.
        while (quantization is not null && !index.IsQuantized) Thread.Sleep(10);
        double buildSeconds = watch.Elapsed.TotalSeconds;
        double buildCpuSeconds = ProcessCpu() - cpuBefore;
        double bytesPerVector = (double)index.MemoryBytes / data.Count;
        Console.WriteLine($"build: {buildSeconds:F2} s on {options.Threads} threads, {buildCpuSeconds:F2} s CPU (M={options.M}, ef_construct={options.EfConstruct}{(quantization is null ? "" : ", " + options.Quantization)}); index memory {bytesPerVector:F0} bytes/vector");

        double exactQps = MeasureExact(index, data, options.K);
        Console.WriteLine($"exact scan: {exactQps:F0} QPS single-thread");
        Console.WriteLine($"{"ef",5} {"recall@" + options.K,10} {"QPS",9} {"QPS/CPU",9} {"p50 µs",9} {"p99 µs",9}");
        var runs = new List<AnnEfResult>();
        foreach (int ef in options.Ef)
        {
            var run = MeasureEf(index, data, options.K, ef);
            runs.Add(run);
            Console.WriteLine($"{run.Ef,5} {run.Recall,10:F4} {run.Qps,9:F0} {run.CpuQps,9:F0} {run.P50Micros,9:F1} {run.P99Micros,9:F1}");
        }

        AnnScaling? scaling = null;
        if (options.Threads > 1 && runs.Count > 0)
        {
            var target = runs.FirstOrDefault(r => r.Recall >= 0.95) ?? runs[^1];
            scaling = MeasureScaling(index, data, options.K, target.Ef, options.Threads, options.ScalingRounds);
            Console.WriteLine($"scaling at ef={target.Ef} (median of {scaling.Rounds} alternating rounds): 1 thread {scaling.SingleThreadQps:F0} QPS, " +
                $"{options.Threads} threads {scaling.MultiThreadQps:F0} QPS ({scaling.Speedup:F2}x, rounds {string.Join(" ", scaling.RoundSpeedups.Select(x => x.ToString("F2")))}); " +
                $"per CPU second {scaling.SingleThreadCpuQps:F0} vs {scaling.MultiThreadCpuQps:F0} ({scaling.CpuEfficiency:F2}: below 1 means the threads slow each other)");
            Console.WriteLine($"machine ceilings in the same run: an in-cache arithmetic loop scales {scaling.MachineSpeedup:F2}x on {options.Threads} threads, " +
                $"random reads over 256 MiB (the search's access pattern) {scaling.MemorySpeedup:F2}x");
        }

        if (options.Json is not null)
        {
            var result = new AnnResult
            {
                Dataset = options.Data, Metric = options.Metric, M = options.M, EfConstruct = options.EfConstruct,
                Quantization = options.Quantization, BuildThreads = options.Threads, Vectors = data.Count,
                Dimension = data.Dimension, BuildSeconds = buildSeconds, BuildCpuSeconds = buildCpuSeconds,
                BytesPerVector = bytesPerVector, ExactQps = exactQps,
                Runs = runs, Scaling = scaling,
            };
            File.WriteAllText(options.Json, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        }
        return 0;
    }

    private static AnnEfResult MeasureEf(HnswVectorIndex index, AnnDataset data, int k, int ef)
    {
        var parameters = new SearchParams { HnswEf = ef };
        var hits = new List<ScoredOffset>(k);
        // Warm-up so tiered JIT has produced the optimised code before timing.
        for (int q = 0; q < Math.Min(200, data.QueryCount); q++)
        {
            hits.Clear();
            index.Search(data.Query(q), k, parameters, null, hits);
        }

        var latencies = new double[data.QueryCount * TimedPasses];
        long found = 0;
        double ticksToMicros = 1e6 / Stopwatch.Frequency;
        long total = 0;
        double cpuBefore = ProcessCpu();
        for (int pass = 0; pass < TimedPasses; pass++)
        {
            for (int q = 0; q < data.QueryCount; q++)
            {
                hits.Clear();
                long start = Stopwatch.GetTimestamp();
                index.Search(data.Query(q), k, parameters, null, hits);
                long elapsed = Stopwatch.GetTimestamp() - start;
                total += elapsed;
                latencies[pass * data.QueryCount + q] = elapsed * ticksToMicros;
                if (pass == 0) found += data.CountHits(q, hits, k);
            }
        }
        double cpuSeconds = ProcessCpu() - cpuBefore;
        Array.Sort(latencies);
        double seconds = total / (double)Stopwatch.Frequency;
        return new AnnEfResult(ef, found / (double)(data.QueryCount * k), latencies.Length / seconds,
            cpuSeconds > 0 ? latencies.Length / cpuSeconds : 0, latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.99)]);
    }

    private static double MeasureExact(HnswVectorIndex index, AnnDataset data, int k)
    {
        var parameters = new SearchParams { Exact = true };
        var hits = new List<ScoredOffset>(k);
        int queries = Math.Min(100, data.QueryCount);
        // Warm-up as for the graph: otherwise part of the scan runs in tier-0 code and the figure is too low.
        for (int q = 0; q < Math.Min(20, queries); q++)
        {
            hits.Clear();
            index.Search(data.Query(q), k, parameters, null, hits);
        }
        var watch = Stopwatch.StartNew();
        for (int q = 0; q < queries; q++)
        {
            hits.Clear();
            index.Search(data.Query(q), k, parameters, null, hits);
        }
        return queries / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// CPU seconds used by this process so far. On a machine shared with other work, wall-clock figures swing with
    /// the load while queries per CPU second (single-thread passes: the other threads are idle) stay comparable.
    /// </summary>
    private static double ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// Thread scaling, robust to a machine whose speed drifts: <paramref name="rounds"/> rounds, each timing one pass
    /// at 1 thread and one at <paramref name="threads"/> back to back, so both see the same conditions; the figures
    /// are medians over the rounds. A pure in-cache arithmetic loop is measured the same way, as the ceiling the
    /// machine itself allows (noisy neighbours or shared physical cores show up there, not in the index).
    /// </summary>
    private static AnnScaling MeasureScaling(HnswVectorIndex index, AnnDataset data, int k, int ef, int threads, int rounds)
    {
        MeasureThroughput(index, data, k, ef, threads); // warm-up: JIT and per-thread search contexts
        var one = new List<(double Qps, double CpuQps)>();
        var many = new List<(double Qps, double CpuQps)>();
        var machine = new List<double>();
        var memory = new List<double>();
        var table = new long[256L * 1024 * 1024 / sizeof(long)];
        for (long i = 0; i < table.Length; i += 512) table[i] = i; // touch every page
        for (int round = 0; round < rounds; round++)
        {
            one.Add(MeasureThroughput(index, data, k, ef, 1));
            many.Add(MeasureThroughput(index, data, k, ef, threads));
            machine.Add(ArithmeticRate(threads) / ArithmeticRate(1));
            memory.Add(RandomReadRate(table, threads) / RandomReadRate(table, 1));
        }
        var speedups = one.Zip(many, (a, b) => b.Qps / a.Qps).ToList();
        return new AnnScaling(ef, threads, Median(one.Select(x => x.Qps)), Median(many.Select(x => x.Qps)),
            Median(one.Select(x => x.CpuQps)), Median(many.Select(x => x.CpuQps)))
        {
            Rounds = rounds,
            RoundSpeedups = speedups,
            MedianSpeedup = Median(speedups),
            MachineSpeedup = Median(machine),
            MemorySpeedup = Median(memory),
        };
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Iterations per second of a dependent floating-point loop on <paramref name="threads"/> threads (no memory traffic).</summary>
    private static double ArithmeticRate(int threads)
    {
        const int Iterations = 40_000_000;
        var sink = new double[threads * 16];
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            double x = 1.0 + t;
            for (int i = 0; i < Iterations; i++) x = x * 0.999999 + 1e-7;
            sink[t * 16] = x;
        });
        return threads * (double)Iterations / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Reads per second of independent random 8-byte loads over <paramref name="table"/> (far larger than the caches) on
    /// <paramref name="threads"/> threads: a graph search's memory behaviour without its arithmetic.
    /// </summary>
    private static double RandomReadRate(long[] table, int threads)
    {
        const int Reads = 20_000_000;
        var sink = new long[threads * 16];
        ulong mask = (ulong)table.Length - 1;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            ulong x = 0x9E3779B97F4A7C15UL * (ulong)(t + 1);
            long sum = 0;
            for (int i = 0; i < Reads; i++)
            {
                x = x * 6364136223846793005UL + 1442695040888963407UL;
                sum += table[(long)((x >> 20) & mask)];
            }
            sink[t * 16] = sum;
        });
        return threads * (double)Reads / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Wall-clock QPS with <paramref name="threads"/> threads sharing one pass over the query set, and queries per
    /// CPU second, which shows contention between the threads even when the machine is loaded.
    /// </summary>
    private static (double Qps, double CpuQps) MeasureThroughput(HnswVectorIndex index, AnnDataset data, int k, int ef, int threads)
    {
        var parameters = new SearchParams { HnswEf = ef };
        int total = data.QueryCount * TimedPasses;
        int next = -1;
        double cpuBefore = ProcessCpu();
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            var hits = new List<ScoredOffset>(k);
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                hits.Clear();
                index.Search(data.Query(i % data.QueryCount), k, parameters, null, hits);
            }
        });
        double seconds = watch.Elapsed.TotalSeconds;
        double cpuSeconds = ProcessCpu() - cpuBefore;
        return (total / seconds, cpuSeconds > 0 ? total / cpuSeconds : 0);
    }
}
