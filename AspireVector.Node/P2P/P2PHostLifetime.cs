using Microsoft.Extensions.Hosting;

namespace AspireVector.Node.P2P;

/// <summary>
/// Lifetime of the embedded P2P host: started and stopped by its owner, never by console signals
/// (the node's own host handles SIGTERM and stops the P2P server in order).
/// </summary>
internal sealed class P2PHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
