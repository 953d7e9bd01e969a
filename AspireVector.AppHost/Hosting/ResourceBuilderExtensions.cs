namespace AspireVector.AppHost.Hosting;

/// <summary>The Aspire-shaped fluent API: endpoints, environment, arguments, references, replicas.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Adds a named endpoint.</summary>
    public static IResourceBuilder<ProjectResource> WithEndpoint(
        this IResourceBuilder<ProjectResource> builder,
        string name,
        int? port = null,
        int? targetPort = null,
        string scheme = "http",
        string transport = "http",
        bool isExternal = false)
    {
        if (builder.Resource.Endpoints.Any(e => e.Name == name))
        {
            throw new InvalidOperationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{name}'.");
        }

        builder.Resource.Endpoints.Add(new EndpointAnnotation(name, scheme, transport, port, targetPort) { IsExternal = isExternal });
        return builder;
    }

    /// <summary>Adds an HTTP endpoint (HTTP/1.1 and HTTP/2).</summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(
        this IResourceBuilder<ProjectResource> builder, int? port = null, int? targetPort = null, string name = "http", bool isExternal = false) =>
        builder.WithEndpoint(name, port, targetPort, "http", "http", isExternal);

    /// <summary>Adds a cleartext HTTP/2 endpoint, as gRPC needs.</summary>
    public static IResourceBuilder<ProjectResource> WithGrpcEndpoint(
        this IResourceBuilder<ProjectResource> builder, string name, int? port = null, int? targetPort = null) =>
        builder.WithEndpoint(name, port, targetPort, "http", "http2");

    /// <summary>A reference to the endpoint named <paramref name="name"/>.</summary>
    public static EndpointReference GetEndpoint(this IResourceBuilder<ProjectResource> builder, string name)
    {
        _ = builder.Resource.GetEndpointAnnotation(name);
        return new EndpointReference(builder.Resource, name);
    }

    /// <summary>Sets an environment variable to a literal or an <see cref="IValueProvider"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return builder.WithEnvironment(context => context.EnvironmentVariables[name] = value);
    }

    /// <summary>Adds environment variables computed when the app runs or is published.</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, Action<EnvironmentCallbackContext> callback)
    {
        builder.Resource.EnvironmentCallbacks.Add(callback);
        return builder;
    }

    /// <summary>Appends command-line arguments (literals or <see cref="IValueProvider"/>s).</summary>
    public static IResourceBuilder<ProjectResource> WithArgs(this IResourceBuilder<ProjectResource> builder, params object[] args) =>
        builder.WithArgs(context => context.Args.AddRange(args));

    /// <summary>Appends command-line arguments computed when the app runs or is published.</summary>
    public static IResourceBuilder<ProjectResource> WithArgs(this IResourceBuilder<ProjectResource> builder, Action<CommandLineArgsCallbackContext> callback)
    {
        builder.Resource.ArgsCallbacks.Add(callback);
        return builder;
    }

    /// <summary>
    /// Tells the resource where <paramref name="endpoint"/> is, with Aspire's service-discovery variable
    /// <c>services__&lt;resource&gt;__&lt;endpoint&gt;__0</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, EndpointReference endpoint)
    {
        if (!builder.Resource.References.Contains(endpoint.Resource))
        {
            builder.Resource.References.Add(endpoint.Resource);
        }

        return builder.WithEnvironment($"services__{endpoint.Resource.Name}__{endpoint.EndpointName}__0", endpoint.Url);
    }

    /// <summary>Sets how many copies a publisher deploys.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Declares the health endpoints (paths on the <c>http</c> endpoint) used for readiness and liveness.</summary>
    public static IResourceBuilder<ProjectResource> WithHealthChecks(this IResourceBuilder<ProjectResource> builder, string readinessPath, string livenessPath)
    {
        builder.Resource.ReadinessPath = readinessPath;
        builder.Resource.LivenessPath = livenessPath;
        return builder;
    }

    /// <summary>
    /// Marks the resource as one peer of a stateful group: publishers deploy the group's members as one
    /// StatefulSet whose pod ordinals follow declaration order.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPeerGroup(this IResourceBuilder<ProjectResource> builder, string group)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        builder.Resource.PeerGroup = group;
        return builder;
    }

    /// <summary>Sets the container image publishers deploy for this project.</summary>
    public static IResourceBuilder<ProjectResource> WithContainerImage(this IResourceBuilder<ProjectResource> builder, string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        builder.Resource.ContainerImage = image;
        return builder;
    }
}
