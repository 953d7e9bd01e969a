namespace AspireVector.AppHost.Hosting;

/// <summary>
/// A .NET project run as a process (locally) or as a container (when published), like Aspire's
/// <c>ProjectResource</c>: named endpoints, environment, arguments, references and replicas.
/// </summary>
public sealed class ProjectResource : IResource
{
    /// <summary>Creates a project resource for the <c>.csproj</c> at <paramref name="projectPath"/>.</summary>
    public ProjectResource(string name, string projectPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectPath);
        Name = name;
        ProjectPath = Path.GetFullPath(projectPath);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Absolute path of the project file.</summary>
    public string ProjectPath { get; }

    /// <summary>Endpoints in declaration order.</summary>
    public List<EndpointAnnotation> Endpoints { get; } = [];

    /// <summary>Callbacks that contribute environment variables (run in declaration order).</summary>
    public List<Action<EnvironmentCallbackContext>> EnvironmentCallbacks { get; } = [];

    /// <summary>Callbacks that contribute command-line arguments (run in declaration order).</summary>
    public List<Action<CommandLineArgsCallbackContext>> ArgsCallbacks { get; } = [];

    /// <summary>Resources whose endpoints this one is told about (service discovery).</summary>
    public List<ProjectResource> References { get; } = [];

    /// <summary>How many copies to run; the local launcher runs 1, publishers honour it.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>Container image publishers deploy for this project (<c>registry/name:tag</c>).</summary>
    public string? ContainerImage { get; set; }

    /// <summary>Stateful group this resource is a peer of (published as one StatefulSet), if any.</summary>
    public string? PeerGroup { get; set; }

    /// <summary>Path to the health endpoint that says "ready", if any.</summary>
    public string? ReadinessPath { get; set; }

    /// <summary>Path to the health endpoint that says "alive", if any.</summary>
    public string? LivenessPath { get; set; }

    /// <summary>The endpoint named <paramref name="endpointName"/>.</summary>
    public EndpointAnnotation GetEndpointAnnotation(string endpointName) =>
        Endpoints.FirstOrDefault(e => e.Name == endpointName)
        ?? throw new InvalidOperationException($"Resource '{Name}' has no endpoint named '{endpointName}'.");

    /// <summary>Evaluates every environment callback for <paramref name="executionContext"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> GetEnvironment(DistributedApplicationExecutionContext executionContext)
    {
        var context = new EnvironmentCallbackContext(executionContext);
        foreach (var callback in EnvironmentCallbacks)
        {
            callback(context);
        }

        return [.. context.EnvironmentVariables];
    }

    /// <summary>Evaluates every argument callback for <paramref name="executionContext"/>.</summary>
    public IReadOnlyList<object> GetArgs(DistributedApplicationExecutionContext executionContext)
    {
        var context = new CommandLineArgsCallbackContext(executionContext);
        foreach (var callback in ArgsCallbacks)
        {
            callback(context);
        }

        return context.Args;
    }
}
