using System.Security.Cryptography.X509Certificates;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>Settings of a client <see cref="P2PChannel"/>.</summary>
public sealed class P2PChannelOptions
{
    /// <summary>Deadline of calls that set none (<c>cluster.grpc_timeout_ms</c>); null: no deadline.</summary>
    public TimeSpan? DefaultTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed to establish the TCP (and TLS) connection (<c>cluster.connection_timeout_ms</c>).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest response message accepted.</summary>
    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Largest request message sent.</summary>
    public int MaxSendMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Sent in <see cref="GrpcProtocol.ApiKeyHeader"/> on every call when set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// For <c>https</c> peers: the CA that must have issued the peer's certificate (<c>tls.ca_cert</c>).
    /// Null: the system trust store decides.
    /// </summary>
    public X509Certificate2? CaCertificate { get; init; }

    /// <summary>Optional client certificate presented to <c>https</c> peers.</summary>
    public X509Certificate2? ClientCertificate { get; init; }
}
