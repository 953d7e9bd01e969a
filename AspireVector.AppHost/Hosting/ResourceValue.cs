namespace AspireVector.AppHost.Hosting;

/// <summary>Turns an environment/argument value (string or <see cref="IValueProvider"/>) into text.</summary>
public static class ResourceValue
{
    /// <summary>The concrete value used by a local run.</summary>
    public static string ForRun(object value) => value switch
    {
        string text => text,
        IValueProvider provider => provider.GetLocalValue(),
        _ => throw new ArgumentException($"Unsupported resource value type {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>The value as written to an Aspire manifest (expressions stay symbolic).</summary>
    public static string ForManifest(object value) => value switch
    {
        string text => text,
        IValueProvider provider => provider.ValueExpression,
        _ => throw new ArgumentException($"Unsupported resource value type {value.GetType().Name}.", nameof(value)),
    };
}
