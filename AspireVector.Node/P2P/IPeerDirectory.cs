namespace AspireVector.Node.P2P;

/// <summary>The P2P uris of the other peers this node currently knows. Implemented by the consensus layer.</summary>
/// <remarks>Read from the health checker's thread; implementations return a snapshot.</remarks>
public interface IPeerDirectory
{
    /// <summary>Uris of every known peer except this node.</summary>
    IReadOnlyCollection<string> OtherPeerUris();
}
