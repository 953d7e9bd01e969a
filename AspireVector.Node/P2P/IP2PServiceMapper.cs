using AspireVector.Node.P2P.Grpc;

namespace AspireVector.Node.P2P;

/// <summary>Something that serves P2P methods of its own; every one registered in DI is mapped when the P2P server starts.</summary>
public interface IP2PServiceMapper
{
    /// <summary>Maps this service's methods onto <paramref name="registry"/>.</summary>
    void Map(GrpcServiceRegistry registry);
}
