using AspireVector.Node.P2P.Grpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.P2P;

/// <summary>
/// Pings every known peer periodically over P2P <c>Health.Ping</c>; each outcome lands in
/// <see cref="MessageSendFailures"/> (through <see cref="P2PClient"/>), so <c>GET /cluster</c> shows an unreachable
/// peer even while consensus has nothing to send it.
/// </summary>
public sealed partial class PeerHealthChecker : BackgroundService
{
    private readonly P2PClient _client;
    private readonly IPeerDirectory _peers;
    private readonly TimeProvider _time;
    private readonly ILogger<PeerHealthChecker> _logger;

    /// <summary>Creates a checker pinging <paramref name="peers"/> every <paramref name="interval"/>.</summary>
    public PeerHealthChecker(P2PClient client, IPeerDirectory peers, TimeSpan interval, TimeProvider time, ILogger<PeerHealthChecker> logger)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The health check interval must be positive.");
        }

        _client = client;
        _peers = peers;
        Interval = interval;
        _time = time;
        _logger = logger;
    }

    /// <summary>Time between two rounds; also the deadline of each ping, so a round never overlaps the next.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Pings every known peer once, concurrently; returns how many answered.</summary>
    public async Task<int> CheckOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyCollection<string> peers = _peers.OtherPeerUris();
        var options = new P2PCallOptions { Timeout = Interval };
        var pings = new List<Task<bool>>(peers.Count);
        foreach (string peer in peers)
        {
            pings.Add(PingAsync(peer, options, cancellationToken));
        }

        bool[] results = await Task.WhenAll(pings).ConfigureAwait(false);
        return results.Count(static ok => ok);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            do
            {
                await CheckOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Node shutdown.
        }
    }

    private async Task<bool> PingAsync(string peer, P2PCallOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await _client.PingAsync(peer, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GrpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPingFailed(peer, ex.StatusCode, ex.Detail);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Health ping to {Peer} failed: {Status} {Detail}")]
    private partial void LogPingFailed(string peer, GrpcStatusCode status, string detail);
}
