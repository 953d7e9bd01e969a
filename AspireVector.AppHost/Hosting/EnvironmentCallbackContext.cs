namespace AspireVector.AppHost.Hosting;

/// <summary>Collects environment variables for one resource (values: string or <see cref="IValueProvider"/>).</summary>
public sealed class EnvironmentCallbackContext
{
    /// <summary>Creates an empty context.</summary>
    public EnvironmentCallbackContext(DistributedApplicationExecutionContext executionContext)
    {
        ExecutionContext = executionContext;
    }

    /// <summary>Run or publish.</summary>
    public DistributedApplicationExecutionContext ExecutionContext { get; }

    /// <summary>Variables so far, in insertion order.</summary>
    public OrderedDictionary<string, object> EnvironmentVariables { get; } = new(StringComparer.Ordinal);
}
