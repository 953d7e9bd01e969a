using AspireVector.Node.Storage;

namespace AspireVector.Node.Cluster;

/// <summary>
/// The forwarder of a <c>snapshot</c> transfer: updates of the shard after its capture are queued (the receiver has no
/// snapshot to apply them to yet), sent in order once it is installed, then forwarded directly as
/// <c>stream_records</c> does.
/// </summary>
/// <remarks>
/// <see cref="ForwardAsync"/> runs under the shard's update lock, so the queue holds updates in the shard's order.
/// One caller drains (the transfer runner); the switch to direct forwarding happens with the update lock held and the
/// queue empty, so no direct update can overtake a queued one.
/// </remarks>
internal sealed class QueuedForwarder(Func<ShardOperation, Task> send)
{
    private readonly Queue<ShardOperation> _queue = new();
    private readonly Lock _lock = new();
    private bool _direct;

    /// <summary>Updates waiting for the snapshot to be installed.</summary>
    public int Queued
    {
        get { lock (_lock) return _queue.Count; }
    }

    /// <summary>The shard's forwarder: queues, or sends once <see cref="ForwardDirectly"/> was called.</summary>
    public Task ForwardAsync(ShardOperation operation)
    {
        lock (_lock)
        {
            if (!_direct)
            {
                _queue.Enqueue(operation);
                return Task.CompletedTask;
            }
        }

        return send(operation);
    }

    /// <summary>Sends, in order, the updates queued when the call started (later ones stay for the next call).</summary>
    public async Task DrainAsync()
    {
        int count = Queued;
        for (int i = 0; i < count; i++)
        {
            ShardOperation next;
            lock (_lock) next = _queue.Peek();
            await send(next).ConfigureAwait(false);
            lock (_lock) _queue.Dequeue();
        }
    }

    /// <summary>From now on every update is sent at once. Call with the update lock held and the queue drained.</summary>
    public void ForwardDirectly()
    {
        lock (_lock)
        {
            if (_queue.Count > 0) throw new InvalidOperationException("queued updates must be sent before forwarding directly");
            _direct = true;
        }
    }
}
