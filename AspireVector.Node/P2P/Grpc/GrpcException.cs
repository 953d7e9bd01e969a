namespace AspireVector.Node.P2P.Grpc;

/// <summary>
/// A call finished with a non-OK gRPC status. Thrown by <see cref="P2PChannel"/> on the client side;
/// thrown by handlers on the server side to answer with a specific status.
/// </summary>
public sealed class GrpcException : Exception
{
    /// <summary>Creates the exception for <paramref name="statusCode"/> with a human-readable <paramref name="detail"/>.</summary>
    public GrpcException(GrpcStatusCode statusCode, string detail, Exception? inner = null)
        : base($"Status(StatusCode=\"{statusCode}\", Detail=\"{detail}\")", inner)
    {
        StatusCode = statusCode;
        Detail = detail;
    }

    /// <summary>The gRPC status code.</summary>
    public GrpcStatusCode StatusCode { get; }

    /// <summary>The status message (<c>grpc-message</c>, already percent-decoded).</summary>
    public string Detail { get; }
}
