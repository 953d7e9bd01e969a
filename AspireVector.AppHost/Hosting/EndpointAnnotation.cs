using System.Net.Sockets;

namespace AspireVector.AppHost.Hosting;

/// <summary>
/// A named network endpoint of a resource (Aspire's <c>EndpointAnnotation</c>). <see cref="Port"/> is where
/// the local run listens (no proxy, so the process binds it directly); <see cref="TargetPort"/> is the port
/// inside the container when published.
/// </summary>
public sealed class EndpointAnnotation
{
    /// <summary>Creates an endpoint.</summary>
    public EndpointAnnotation(string name, string uriScheme, string transport, int? port, int? targetPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        UriScheme = uriScheme;
        Transport = transport;
        Port = port;
        TargetPort = targetPort;
    }

    /// <summary>Endpoint name (<c>http</c>, <c>grpc</c>, <c>p2p</c>).</summary>
    public string Name { get; }

    /// <summary>URI scheme clients use (<c>http</c>).</summary>
    public string UriScheme { get; }

    /// <summary>Network protocol; always TCP here.</summary>
    public ProtocolType Protocol { get; init; } = ProtocolType.Tcp;

    /// <summary>Application transport: <c>http</c> (HTTP/1.1 + 2) or <c>http2</c> (gRPC, h2c).</summary>
    public string Transport { get; }

    /// <summary>Host port for the local run.</summary>
    public int? Port { get; }

    /// <summary>Port inside the container when published.</summary>
    public int? TargetPort { get; }

    /// <summary>Whether the endpoint should be reachable from outside the deployment (ingress).</summary>
    public bool IsExternal { get; init; }
}
