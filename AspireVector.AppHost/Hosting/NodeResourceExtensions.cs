namespace AspireVector.AppHost.Hosting;

/// <summary>How an AspireVector database node is declared: its three endpoints, its settings and storage.</summary>
public static class NodeResourceExtensions
{
    /// <summary>Peer group (and Kubernetes StatefulSet name) the nodes belong to.</summary>
    public const string PeerGroupName = "aspirevector";

    /// <summary>Folder inside the container that holds storage (a persistent volume when published).</summary>
    public const string ContainerStoragePath = "/aspirevector/storage";

    /// <summary>
    /// Adds node <paramref name="name"/> listening on REST <paramref name="portBase"/>, gRPC <c>+1</c> and
    /// P2P <c>+2</c> locally (6333/6334/6335 in a container), in cluster mode with self-healing, with its own storage folder.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddNode(this DistributedApplicationBuilder builder, string name, int portBase)
    {
        var dataDirectory = Path.GetFullPath(Path.Combine(builder.Settings.DataDirectory, name));
        var node = builder.AddProject(name, "../AspireVector.Node/AspireVector.Node.csproj")
            .WithHttpEndpoint(port: portBase, targetPort: 6333, isExternal: true)
            .WithGrpcEndpoint("grpc", port: portBase + 1, targetPort: 6334)
            .WithGrpcEndpoint("p2p", port: portBase + 2, targetPort: 6335)
            .WithHealthChecks("/readyz", "/livez")
            .WithContainerImage(builder.Settings.NodeImage)
            .WithPeerGroup(PeerGroupName);
        return node
            .WithEnvironment("AV__SERVICE__HTTP_PORT", node.GetEndpoint("http").TargetPort)
            .WithEnvironment("AV__SERVICE__GRPC_PORT", node.GetEndpoint("grpc").TargetPort)
            .WithEnvironment("AV__CLUSTER__ENABLED", "true")
            .WithEnvironment("AV__CLUSTER__P2P__PORT", node.GetEndpoint("p2p").TargetPort)
            .WithEnvironment("AV__CLUSTER__CONSENSUS__TICK_PERIOD_MS", "100")
            // The leader re-creates replicas lost with a dead peer; an AppHost cluster repairs itself out of the box.
            .WithEnvironment("AV__CLUSTER__SELF_HEALING__ENABLED", "true")
            .WithEnvironment(context =>
            {
                var local = context.ExecutionContext.IsRunMode;
                if (local)
                {
                    // Loopback only for local runs; containers listen on every interface.
                    context.EnvironmentVariables["AV__SERVICE__HOST"] = EndpointReferenceExpression.LocalHost;
                }

                context.EnvironmentVariables["AV__STORAGE__STORAGE_PATH"] =
                    local ? Path.Combine(dataDirectory, "storage") : ContainerStoragePath;
                context.EnvironmentVariables["AV__STORAGE__SNAPSHOTS_PATH"] =
                    local ? Path.Combine(dataDirectory, "snapshots") : ContainerStoragePath + "/snapshots";
            });
    }
}
