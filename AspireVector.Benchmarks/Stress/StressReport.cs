using System.Globalization;
using System.Text.Json;

namespace AspireVector.Benchmarks.Stress;

/// <summary>What a <see cref="StressWorkload"/> run saw: operations, memory per node, and the final model check.</summary>
public sealed class StressReport
{
    public SortedDictionary<string, StressOpStats> Ops { get; } = new(StringComparer.Ordinal);

    /// <summary>Per node: (seconds since start, RSS in KiB).</summary>
    public List<List<(double At, long RssKb)>> Rss { get; } = [];

    /// <summary>Per node: (seconds since start, managed heap in KiB, from <c>/metrics</c>).</summary>
    public List<List<(double At, long Kb)>> Heap { get; } = [];

    public TimeSpan Elapsed { get; set; }

    /// <summary>Points the model says must exist at the end.</summary>
    public int Expected { get; set; }

    /// <summary>Points read back with <c>consistency=all</c> at the end.</summary>
    public int Found { get; set; }

    /// <summary>Modelled points absent at the end.</summary>
    public int Missing { get; set; }

    /// <summary>Points present that the model says were deleted or never written.</summary>
    public int Extra { get; set; }

    /// <summary>Modelled points present with another vector or version.</summary>
    public int WrongVector { get; set; }

    /// <summary>Points whose outcome is unknown (their write got a 5xx or no answer): not checked.</summary>
    public int Uncertain { get; set; }

    /// <summary>Exact counts per node that differ from <see cref="Found"/>.</summary>
    public int CountMismatches { get; set; }

    /// <summary>Reads during the run (own count, own retrieve) that contradicted the client's acknowledged writes.</summary>
    public long ReadAnomalies { get; set; }

    /// <summary>Shard moves and replications completed.</summary>
    public int Transfers { get; set; }

    public List<string> Notes { get; } = [];

    /// <summary>Whether every replica was active and no transfer ran once the load stopped (within 3 minutes).</summary>
    public bool Settled { get; set; }

    public long ServerErrors => Ops.Values.Sum(o => o.ServerErrors + o.NoAnswer);

    public bool ModelMatches => Missing == 0 && Extra == 0 && WrongVector == 0 && CountMismatches == 0;

    public bool Passed => ServerErrors == 0 && ModelMatches && ReadAnomalies == 0 && Settled;

    public StressOpStats Op(string name)
    {
        lock (Ops)
        {
            if (!Ops.TryGetValue(name, out var stats)) Ops[name] = stats = new StressOpStats();
            return stats;
        }
    }

    /// <summary>The summary table: one line per operation, memory per node, model check.</summary>
    public string Table()
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"stress: {Elapsed.TotalSeconds:F0} s, {Ops.Values.Sum(o => o.Count)} operations, {Transfers} shard transfers");
        w.WriteLine($"{"op",-16}{"count",9}{"2xx",9}{"4xx",7}{"5xx",7}{"no-ans",8}{"p50 ms",9}{"p99 ms",9}");
        foreach (var (name, o) in Ops)
        {
            w.WriteLine($"{name,-16}{o.Count,9}{o.Ok,9}{o.ClientErrors,7}{o.ServerErrors,7}{o.NoAnswer,8}{o.Percentile(0.5),9:F1}{o.Percentile(0.99),9:F1}");
        }

        for (int i = 0; i < Rss.Count; i++)
        {
            var s = Rss[i];
            if (s.Count == 0) continue;
            string heap = Heap[i] is { Count: > 0 } h ? $"; GC heap MiB: first {h[0].Kb / 1024.0:F0}, last {h[^1].Kb / 1024.0:F0}, max {h.Max(x => x.Kb) / 1024.0:F0}" : "";
            w.WriteLine($"node {i} RSS MiB: first {s[0].RssKb / 1024.0:F0}, last {s[^1].RssKb / 1024.0:F0}, max {s.Max(x => x.RssKb) / 1024.0:F0} ({s.Count} samples){heap}");
        }

        w.WriteLine($"settled after the load: {(Settled ? "yes" : "NO")}");
        w.WriteLine($"model: {Expected} expected, {Found} found (consistency=all), {Missing} missing, {Extra} extra, {WrongVector} wrong vector, {CountMismatches} count mismatches, {Uncertain} uncertain, {ReadAnomalies} read anomalies -> {(ModelMatches ? "match" : "MISMATCH")}");
        foreach (var (name, o) in Ops)
        {
            foreach (var f in o.Failures) w.WriteLine($"  {name} {f}");
        }

        foreach (var n in Notes) w.WriteLine("  note: " + n);
        w.WriteLine(Passed ? "PASS" : "FAIL");
        return w.ToString();
    }

    public string Json() => JsonSerializer.Serialize(new
    {
        elapsed_s = Elapsed.TotalSeconds,
        transfers = Transfers,
        ops = Ops.ToDictionary(o => o.Key, o => new
        {
            count = o.Value.Count, ok = o.Value.Ok, client_errors = o.Value.ClientErrors, server_errors = o.Value.ServerErrors,
            no_answer = o.Value.NoAnswer, p50_ms = o.Value.Percentile(0.5), p99_ms = o.Value.Percentile(0.99), failures = o.Value.Failures,
        }),
        rss_kb = Rss.Select(s => s.Select(x => new { at_s = x.At, kb = x.RssKb })),
        gc_heap_kb = Heap.Select(s => s.Select(x => new { at_s = x.At, kb = x.Kb })),
        model = new { expected = Expected, found = Found, missing = Missing, extra = Extra, wrong_vector = WrongVector, count_mismatches = CountMismatches, uncertain = Uncertain, read_anomalies = ReadAnomalies },
        settled = Settled,
        notes = Notes,
        passed = Passed,
    }, new JsonSerializerOptions { WriteIndented = true });
}
