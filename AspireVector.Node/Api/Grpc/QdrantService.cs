using AspireVector.Node.Api.Rest;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary><c>qdrant.Qdrant</c>: the health check (open without an api key, like REST's <c>GET /</c>).</summary>
public static class QdrantService
{
    /// <summary>Maps <c>HealthCheck</c>.</summary>
    public static QdrantGrpcMethods MapQdrantService(this QdrantGrpcMethods methods) =>
        methods.Unary<Q.HealthCheckRequest, Q.HealthCheckReply>("qdrant.Qdrant", "HealthCheck", null, static (_, _) =>
            Task.FromResult(new Q.HealthCheckReply { Title = ServiceApi.Title, Version = ServiceApi.Version, Commit = Commit }));

    private static string Commit { get; } =
        (typeof(QdrantService).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "").Split('+') is [_, var sha, ..] ? sha : "";
}
