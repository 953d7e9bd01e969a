using AspireVector.AppHost.Orchestration;
using AspireVector.AppHost.Publishing;
using AspireVector.AppHost.Publishing.Kubernetes;

namespace AspireVector.AppHost.Hosting;

/// <summary>The built application: runs it locally or publishes it (Aspire's <c>DistributedApplication</c>).</summary>
public sealed class DistributedApplication
{
    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        Settings = builder.Settings;
        ExecutionContext = builder.ExecutionContext;
        AppHostDirectory = builder.AppHostDirectory;
        Resources = [.. builder.Resources];
    }

    /// <summary>Settings the model was built with.</summary>
    public AppHostSettings Settings { get; }

    /// <summary>Run or publish.</summary>
    public DistributedApplicationExecutionContext ExecutionContext { get; }

    /// <summary>The AppHost project directory.</summary>
    public string AppHostDirectory { get; }

    /// <summary>Every resource, in declaration order.</summary>
    public IReadOnlyList<ProjectResource> Resources { get; }

    /// <summary>Creates a builder (Aspire's <c>DistributedApplication.CreateBuilder</c>).</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    /// <summary>Publishes or runs, returning the process exit code.</summary>
    public int Run() => Settings.Publisher switch
    {
        null => LocalRunner.Run(this),
        "manifest" => ManifestPublisher.Publish(this, Settings.OutputPath ?? "aspire-manifest.json"),
        "kubernetes" => KubernetesPublisher.Publish(this, Settings.OutputPath ?? Path.Combine("deploy", "kubernetes")),
        var other => throw new ArgumentException($"Unknown --publisher '{other}' (expected 'manifest' or 'kubernetes')."),
    };
}
