using System.Collections.Concurrent;
using System.Threading.Channels;
using AspireVector.Node.Consensus;
using AspireVector.Node.P2P;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Cluster;

/// <summary>
/// Carries Raft messages to peers over P2P gRPC: one bounded queue and one sender task per peer, so a slow or
/// dead peer never delays the consensus loop or the other peers. Full queues drop the oldest message (Raft retries).
/// </summary>
public sealed class RaftP2PTransport : IRaftTransport, IAsyncDisposable
{
    private readonly ConcurrentDictionary<ulong, Channel<byte[]>> _queues = new();
    private readonly ConcurrentDictionary<ulong, string> _extraUris = new();
    private readonly P2PClient _client;
    private readonly Func<ulong, string?> _resolve;
    private readonly int _queueSize;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders = [];

    /// <summary>Creates the transport; <paramref name="resolve"/> maps a peer id to its uri from the cluster metadata.</summary>
    public RaftP2PTransport(P2PClient client, Func<ulong, string?> resolve, int queueSize, ILogger logger)
    {
        _client = client;
        _resolve = resolve;
        _queueSize = Math.Max(8, queueSize);
        _logger = logger;
    }

    /// <summary>Remembers a uri learned outside the metadata (from a bootstrap answer), until the metadata has it.</summary>
    public void Learn(ulong peerId, string uri) => _extraUris[peerId] = uri;

    /// <summary>The uri of <paramref name="peerId"/>, from the metadata or what was learned.</summary>
    public string? UriOf(ulong peerId) => _resolve(peerId) ?? (_extraUris.TryGetValue(peerId, out var uri) ? uri : null);

    /// <inheritdoc />
    public void Send(ulong peerId, byte[] payload)
    {
        var queue = _queues.GetOrAdd(peerId, id =>
        {
            var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_queueSize)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
            });
            lock (_senders) _senders.Add(Task.Run(() => SendLoopAsync(id, channel.Reader)));
            return channel;
        });
        queue.Writer.TryWrite(payload);
    }

    private async Task SendLoopAsync(ulong peerId, ChannelReader<byte[]> reader)
    {
        var ct = _stop.Token;
        try
        {
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (reader.TryRead(out var payload))
                {
                    if (UriOf(peerId) is not { } uri) continue; // unknown yet: Raft resends later
                    try
                    {
                        await _client.SendRaftMessageAsync(uri, payload, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        // Recorded in message_send_failures by the client; drop what queued up meanwhile, it is stale.
                        _logger.LogDebug("Raft message to peer {Peer} at {Uri} failed: {Error}", peerId, uri, e.Message);
                        while (reader.TryRead(out _)) { }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var q in _queues.Values) q.Writer.TryComplete();
        Task[] senders;
        lock (_senders) senders = [.. _senders];
        await Task.WhenAll(senders).ConfigureAwait(false);
        _stop.Dispose();
    }
}
