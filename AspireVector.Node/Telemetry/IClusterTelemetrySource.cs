namespace AspireVector.Node.Telemetry;

/// <summary>
/// Implemented by the consensus layer and registered as a singleton; read by <see cref="NodeMetrics"/> when
/// <c>/metrics</c> is scraped. Without one (cluster mode off) the node reports <c>cluster_enabled 0</c> only, as Qdrant does.
/// </summary>
/// <remarks>Called on the scrape thread; read published state, never wait on the consensus loop.</remarks>
public interface IClusterTelemetrySource
{
    /// <summary>The consensus state as of now.</summary>
    ClusterTelemetry GetCluster();
}
