using System.Collections.Concurrent;
using System.Diagnostics;
using AspireVector.Node.P2P.Grpc;
using Google.Protobuf;

namespace AspireVector.Node.P2P;

/// <summary>
/// A small pool of <see cref="P2PChannel"/>s per peer uri (<c>cluster.p2p.connection_pool_size</c> connections each,
/// used round-robin), and the single place that feeds <see cref="MessageSendFailures"/>.
/// </summary>
/// <remarks>Thread-safe. Channels open their connection lazily on first use and reconnect after failures.</remarks>
public sealed class PeerChannels : IDisposable
{
    private readonly ConcurrentDictionary<string, ChannelPool> _pools = new(StringComparer.Ordinal);
    private readonly P2PChannelOptions _options;
    private readonly int _poolSize;
    private readonly P2PFaults? _faults;
    private bool _disposed;

    /// <summary>Creates the pool; every channel shares <paramref name="options"/>.</summary>
    public PeerChannels(P2PChannelOptions options, int poolSize, MessageSendFailures failures, P2PFaults? faults = null)
    {
        _faults = faults;
        _options = options;
        _poolSize = Math.Max(1, poolSize);
        Failures = failures;
    }

    /// <summary>Failures recorded by calls made through this pool.</summary>
    public MessageSendFailures Failures { get; }

    /// <summary>Recent latency per peer, from the shard reads and health pings made through this pool.</summary>
    public PeerLatencies Latencies { get; } = new();

    /// <summary>The next channel to <paramref name="peerUri"/> (round-robin over the peer's pool).</summary>
    public P2PChannel Get(string peerUri)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ChannelPool pool = _pools.GetOrAdd(MessageSendFailures.Key(peerUri), static (key, self) => self.CreatePool(key), this);
        return pool.Next();
    }

    /// <summary>Calls a unary method on <paramref name="peerUri"/>, recording the outcome in <see cref="Failures"/>.</summary>
    /// <exception cref="GrpcException">Any non-OK outcome.</exception>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(
        string peerUri, string method, TRequest request, MessageParser<TResponse> responseParser,
        P2PCallOptions? options = null, CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        long started = Stopwatch.GetTimestamp();
        bool sampled = method is P2PMethods.ShardsRead or P2PMethods.HealthPing;
        try
        {
            if (_faults?.Fault(peerUri) is { } fault)
            {
                if (fault.Drop) throw new GrpcException(GrpcStatusCode.Unavailable, $"fault injection: {peerUri} is cut off");
                if (fault.Delay > TimeSpan.Zero) await Task.Delay(fault.Delay, cancellationToken).ConfigureAwait(false);
            }

            TResponse response = await Get(peerUri).CallAsync(method, request, responseParser, options, cancellationToken).ConfigureAwait(false);
            Failures.RecordSuccess(peerUri);
            if (sampled) Latencies.Record(peerUri, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (GrpcException ex)
        {
            Record(peerUri, ex, cancellationToken);
            if (sampled && cancellationToken.IsCancellationRequested) Latencies.Record(peerUri, Stopwatch.GetElapsedTime(started));
            throw;
        }
        catch (OperationCanceledException) when (sampled && cancellationToken.IsCancellationRequested)
        {
            // Cut short by the caller (e.g. a hedged read that another replica answered first): at least this slow.
            Latencies.Record(peerUri, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>Records the outcome of a call made directly on a channel from <see cref="Get"/> (e.g. a stream).</summary>
    public void Record(string peerUri, GrpcException? failure, CancellationToken callerToken = default)
    {
        if (failure is null || !IsDeliveryFailure(failure, callerToken))
        {
            // The peer received the message and answered (possibly with an application error): delivery works.
            Failures.RecordSuccess(peerUri);
            return;
        }

        Failures.RecordFailure(peerUri, $"status: {failure.StatusCode}, message: \"{failure.Detail}\"");
    }

    /// <summary>Closes and forgets the channels of a peer that left the cluster.</summary>
    public void Remove(string peerUri)
    {
        if (_pools.TryRemove(MessageSendFailures.Key(peerUri), out ChannelPool? pool))
        {
            pool.Dispose();
        }

        Failures.Forget(peerUri);
        Latencies.Forget(peerUri);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        foreach (ChannelPool pool in _pools.Values)
        {
            pool.Dispose();
        }

        _pools.Clear();
    }

    private static bool IsDeliveryFailure(GrpcException failure, CancellationToken callerToken) => failure.StatusCode switch
    {
        GrpcStatusCode.Cancelled => !callerToken.IsCancellationRequested,
        GrpcStatusCode.NotFound or GrpcStatusCode.InvalidArgument or GrpcStatusCode.AlreadyExists
            or GrpcStatusCode.FailedPrecondition or GrpcStatusCode.Aborted or GrpcStatusCode.OutOfRange => false,
        _ => true,
    };

    private ChannelPool CreatePool(string key)
    {
        var uri = new Uri(key);
        var channels = new P2PChannel[_poolSize];
        for (int i = 0; i < channels.Length; i++)
        {
            channels[i] = new P2PChannel(uri, _options);
        }

        return new ChannelPool(channels);
    }

    private sealed class ChannelPool(P2PChannel[] channels) : IDisposable
    {
        private int _next = -1;

        public P2PChannel Next() => channels[(int)((uint)Interlocked.Increment(ref _next) % (uint)channels.Length)];

        public void Dispose()
        {
            foreach (P2PChannel channel in channels)
            {
                channel.Dispose();
            }
        }
    }
}
