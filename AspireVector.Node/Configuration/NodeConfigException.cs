namespace AspireVector.Node.Configuration;

/// <summary>A setting that is unknown or has an invalid value; the message names the key.</summary>
public sealed class NodeConfigException : Exception
{
    public NodeConfigException(string key, string message) : base($"Invalid configuration `{key}`: {message}") => Key = key;

    /// <summary>The dotted key (e.g. <c>service.http_port</c>) or flag that is wrong.</summary>
    public string Key { get; }
}
