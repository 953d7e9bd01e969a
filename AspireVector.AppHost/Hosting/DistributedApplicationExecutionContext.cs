namespace AspireVector.AppHost.Hosting;

/// <summary>What the app host is doing right now; callbacks use it to vary values per mode.</summary>
public sealed class DistributedApplicationExecutionContext
{
    /// <summary>Creates a context for <paramref name="operation"/>.</summary>
    public DistributedApplicationExecutionContext(DistributedApplicationOperation operation)
    {
        Operation = operation;
    }

    /// <summary>The current operation.</summary>
    public DistributedApplicationOperation Operation { get; }

    /// <summary>True when launching locally.</summary>
    public bool IsRunMode => Operation == DistributedApplicationOperation.Run;

    /// <summary>True when writing deployment artefacts.</summary>
    public bool IsPublishMode => Operation == DistributedApplicationOperation.Publish;
}
