namespace AspireVector.Node.P2P.Grpc;

/// <summary>Limits and credentials the gRPC server side enforces on every call.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted; larger ones fail with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Largest response message sent; larger ones fail with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>When set, calls must carry this value in <see cref="GrpcProtocol.ApiKeyHeader"/> or get UNAUTHENTICATED.</summary>
    public string? ApiKey { get; init; }
}
