namespace AspireVector.AppHost.Hosting;

/// <summary>Which part of an endpoint a reference expression stands for (Aspire's <c>EndpointProperty</c>).</summary>
public enum EndpointProperty
{
    /// <summary><c>scheme://host:port</c>.</summary>
    Url,

    /// <summary>The host name.</summary>
    Host,

    /// <summary>The port clients connect to.</summary>
    Port,

    /// <summary>The port the process itself binds.</summary>
    TargetPort,
}
