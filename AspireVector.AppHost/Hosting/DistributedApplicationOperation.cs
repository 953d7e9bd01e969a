namespace AspireVector.AppHost.Hosting;

/// <summary>Whether the app host runs the application or publishes it.</summary>
public enum DistributedApplicationOperation
{
    /// <summary>Launch every resource locally.</summary>
    Run,

    /// <summary>Write deployment artefacts (manifest, Kubernetes YAML).</summary>
    Publish,
}
