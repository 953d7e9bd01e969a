using System.Collections.Concurrent;

namespace AspireVector.Node.P2P;

/// <summary>
/// Recent round-trip latency per peer uri: an exponentially weighted moving average of shard reads and health pings
/// (the calls whose duration says how responsive a peer is; Raft's waits and bulk transfers would not).
/// </summary>
/// <remarks>
/// Thread-safe. An estimate older than <see cref="StaleAfter"/> is forgotten, so a peer that was slow once is tried
/// again later instead of being avoided forever (health pings usually refresh it long before that).
/// </remarks>
public sealed class PeerLatencies(TimeProvider? time = null)
{
    /// <summary>Weight of the newest sample: about the last ten samples matter.</summary>
    public const double Alpha = 0.2;

    /// <summary>How long an estimate counts without a new sample.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Estimate> _estimates = new(StringComparer.Ordinal);

    /// <summary>Adds one observed round trip to <paramref name="peerUri"/> (a lower bound when the call was cut short).</summary>
    public void Record(string peerUri, TimeSpan elapsed)
    {
        double ms = Math.Max(0, elapsed.TotalMilliseconds);
        var now = _time.GetUtcNow();
        _estimates.AddOrUpdate(MessageSendFailures.Key(peerUri),
            static (_, s) => new Estimate(s.ms, s.now),
            static (_, old, s) => new Estimate(s.now - old.At > StaleAfter ? s.ms : old.Ms + Alpha * (s.ms - old.Ms), s.now),
            (ms, now));
    }

    /// <summary>The recent latency of <paramref name="peerUri"/> in milliseconds, or null when nothing recent is known.</summary>
    public double? Milliseconds(string peerUri)
    {
        if (!_estimates.TryGetValue(MessageSendFailures.Key(peerUri), out var e)) return null;
        return _time.GetUtcNow() - e.At > StaleAfter ? null : e.Ms;
    }

    /// <summary>Drops what is known about a peer that left the cluster.</summary>
    public void Forget(string peerUri) => _estimates.TryRemove(MessageSendFailures.Key(peerUri), out _);

    private sealed record Estimate(double Ms, DateTimeOffset At);
}
