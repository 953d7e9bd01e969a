using System.Diagnostics;
using System.Globalization;
using AspireVector.Node.Index;

namespace AspireVector.Benchmarks.Multivectors;

/// <summary>
/// The <c>multivec</c> command: exact max_sim search QPS of one shard's <see cref="MultiVectorIndex"/> (what every
/// multivector query costs per shard: every stored point scored, no graph), single-threaded, on random data.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project AspireVector.Benchmarks -- multivec [--points 10000] [--rows 8] [--dim 128]
/// [--query-rows 8] [--seconds 10] [--distance Dot]</c>. Queries run one after the other on one thread; a collection
/// with several shards scores them in parallel, one task per shard.
/// </remarks>
public static class MultivectorCommand
{
    public static int Run(string[] args)
    {
        int points = 10_000, rows = 8, dim = 128, queryRows = 8, seconds = 10;
        var distance = Distance.Dot;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--points": points = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rows": rows = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--dim": dim = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--query-rows": queryRows = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--distance": distance = Enum.Parse<Distance>(Next(), ignoreCase: true); break;
                default:
                    Console.Error.WriteLine("usage: multivec [--points 10000] [--rows 8] [--dim 128] [--query-rows 8] [--seconds 10] [--distance Dot]");
                    return 2;
            }
        }

        var random = new Random(42);
        using var index = new MultiVectorIndex(dim, distance);
        var matrix = new float[rows * dim];
        for (int p = 0; p < points; p++)
        {
            for (int j = 0; j < matrix.Length; j++) matrix[j] = (float)(random.NextDouble() * 2 - 1);
            index.Upsert(p, matrix);
        }

        var queries = new float[16][];
        for (int q = 0; q < queries.Length; q++)
        {
            queries[q] = new float[queryRows * dim];
            for (int j = 0; j < queries[q].Length; j++) queries[q][j] = (float)(random.NextDouble() * 2 - 1);
        }

        var hits = new List<ScoredOffset>(10);
        index.Search(queries[0], 10, SearchParams.Default, null, hits); // warm-up
        int done = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            hits.Clear();
            index.Search(queries[done % queries.Length], 10, SearchParams.Default, null, hits);
            done++;
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"multivec exact max_sim {distance}: {points} points x {rows} rows x {dim} dims, {queryRows}-row queries, limit 10: {done / elapsed:F1} QPS ({1000 * elapsed / done:F2} ms/query, one thread)"));
        return 0;
    }
}
