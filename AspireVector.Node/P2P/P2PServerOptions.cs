using System.Net;
using System.Security.Cryptography.X509Certificates;
using AspireVector.Node.Configuration;
using AspireVector.Node.P2P.Grpc;

namespace AspireVector.Node.P2P;

/// <summary>Where and how the P2P gRPC listener binds.</summary>
public sealed class P2PServerOptions
{
    /// <summary>Address to bind (<c>service.host</c>); <c>0.0.0.0</c> binds every interface.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Port to bind (<c>cluster.p2p.port</c>); 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 6335;

    /// <summary>Server certificate with private key; when set the listener speaks TLS (ALPN h2) instead of h2c.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Limits and the internal api key applied to every call.</summary>
    public GrpcServerOptions Grpc { get; init; } = new();

    /// <summary>Builds the options of <paramref name="node"/> (P2P port, api key, and TLS files when <c>cluster.p2p.enable_tls</c>).</summary>
    public static P2PServerOptions FromNode(NodeOptions node)
    {
        IPAddress bind = IPAddress.TryParse(node.Service.Host, out IPAddress? parsed) ? parsed : IPAddress.Any;
        return new P2PServerOptions
        {
            BindAddress = bind,
            Port = node.Cluster.P2pPort,
            Certificate = node.Cluster.P2pEnableTls ? P2PTls.LoadServerCertificate(node.Tls) : null,
            Grpc = new GrpcServerOptions { ApiKey = node.Cluster.P2pApiKey },
        };
    }
}
