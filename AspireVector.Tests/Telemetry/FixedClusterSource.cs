using AspireVector.Node.Telemetry;

namespace AspireVector.Tests.Telemetry;

/// <summary>A cluster source with a fixed answer, standing in for the consensus layer.</summary>
internal sealed class FixedClusterSource(ClusterTelemetry cluster) : IClusterTelemetrySource
{
    public ClusterTelemetry GetCluster() => cluster;
}
