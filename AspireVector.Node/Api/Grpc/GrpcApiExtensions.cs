namespace AspireVector.Node.Api.Grpc;

/// <summary>Composition of Qdrant's public gRPC API into a node.</summary>
public static class GrpcApiExtensions
{
    /// <summary>
    /// Adds the gRPC listener on <c>service.grpc_port</c> (0 or null: none). It binds a real port even when the REST
    /// host runs on a test server: in-process test hosts set <c>service.grpc_port</c> to null unless they test gRPC.
    /// </summary>
    public static WebApplicationBuilder AddQdrantGrpcApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new QdrantGrpcHostedService(sp.GetRequiredService<Configuration.NodeOptions>(), sp));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QdrantGrpcHostedService>());
        return builder;
    }
}
