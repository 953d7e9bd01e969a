namespace AspireVector.Benchmarks.Stress;

/// <summary>Outcomes of one kind of operation: answers by status class, calls that got no answer, and latencies.</summary>
/// <remarks>Thread-safe: every client records into the same instance.</remarks>
public sealed class StressOpStats
{
    private readonly Lock _lock = new();
    private readonly List<double> _ms = [];
    private readonly List<string> _failures = [];

    public long Ok { get; private set; }

    public long ClientErrors { get; private set; }

    public long ServerErrors { get; private set; }

    /// <summary>Calls without an HTTP answer (timeout, connection reset).</summary>
    public long NoAnswer { get; private set; }

    public long Count => Ok + ClientErrors + ServerErrors + NoAnswer;

    /// <summary>The first few 4xx/5xx/no-answer outcomes, for the report.</summary>
    public IReadOnlyList<string> Failures
    {
        get { lock (_lock) return [.. _failures]; }
    }

    public void Record(int status, double ms, string? failure = null)
    {
        lock (_lock)
        {
            _ms.Add(ms);
            if (status == 0) NoAnswer++;
            else if (status >= 500) ServerErrors++;
            else if (status >= 400) ClientErrors++;
            else Ok++;
            if (status is 0 or >= 400 && _failures.Count < 5) _failures.Add($"{status}: {failure}");
        }
    }

    /// <summary>The <paramref name="q"/> quantile of the latencies in ms (0 when none).</summary>
    public double Percentile(double q)
    {
        lock (_lock)
        {
            if (_ms.Count == 0) return 0;
            var sorted = _ms.ToArray();
            Array.Sort(sorted);
            return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }
}
