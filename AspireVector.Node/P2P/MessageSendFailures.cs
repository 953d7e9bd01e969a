using System.Collections.Concurrent;
using AspireVector.Node.Telemetry;

namespace AspireVector.Node.P2P;

/// <summary>
/// Per-peer bookkeeping of failed P2P sends, keyed by the peer's uri as Qdrant prints it (<c>http://host:6335/</c>).
/// </summary>
/// <remarks>
/// Qdrant's semantics: a failure increments the peer's count and replaces its latest error; the first successful
/// send to that peer removes the entry. Thread-safe; fed by every client call and by the health checker.
/// </remarks>
public sealed class MessageSendFailures
{
    private readonly ConcurrentDictionary<string, MessageSendErrors> _failures = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly NodeMetrics? _metrics;

    /// <summary>
    /// Creates the bookkeeping with <paramref name="time"/> stamping failures; every failure also counts in
    /// <c>p2p_message_send_failures_total{peer_uri}</c> when <paramref name="metrics"/> is given.
    /// </summary>
    public MessageSendFailures(TimeProvider? time = null, NodeMetrics? metrics = null)
    {
        _time = time ?? TimeProvider.System;
        _metrics = metrics;
    }

    /// <summary>Records one failed send to <paramref name="peerUri"/>.</summary>
    public void RecordFailure(string peerUri, string error)
    {
        DateTimeOffset now = _time.GetUtcNow();
        string key = Key(peerUri);
        _metrics?.RecordP2pSendFailure(key);
        _failures.AddOrUpdate(
            key,
            static (_, state) => new MessageSendErrors(1, state.error, state.now),
            static (_, previous, state) => new MessageSendErrors(previous.Count + 1, state.error, state.now),
            (error, now));
    }

    /// <summary>Records a successful send to <paramref name="peerUri"/>: its failure entry is removed.</summary>
    public void RecordSuccess(string peerUri)
    {
        if (!_failures.IsEmpty)
        {
            _failures.TryRemove(Key(peerUri), out _);
        }
    }

    /// <summary>Forgets a peer entirely (it left the cluster).</summary>
    public void Forget(string peerUri) => _failures.TryRemove(Key(peerUri), out _);

    /// <summary>A point-in-time copy for <c>GET /cluster</c>, ordered by uri.</summary>
    public IReadOnlyDictionary<string, MessageSendErrors> Snapshot() =>
        new SortedDictionary<string, MessageSendErrors>(_failures, StringComparer.Ordinal);

    /// <summary>The normalized key of <paramref name="peerUri"/>: absolute uris print with a trailing slash, as in Qdrant.</summary>
    public static string Key(string peerUri) =>
        Uri.TryCreate(peerUri, UriKind.Absolute, out Uri? uri) ? uri.ToString() : peerUri;
}
