namespace AspireVector.AppHost.Hosting;

/// <summary>Collects command-line arguments for one resource (values: string or <see cref="IValueProvider"/>).</summary>
public sealed class CommandLineArgsCallbackContext
{
    /// <summary>Creates an empty context.</summary>
    public CommandLineArgsCallbackContext(DistributedApplicationExecutionContext executionContext)
    {
        ExecutionContext = executionContext;
    }

    /// <summary>Run or publish.</summary>
    public DistributedApplicationExecutionContext ExecutionContext { get; }

    /// <summary>Arguments so far.</summary>
    public List<object> Args { get; } = [];
}
