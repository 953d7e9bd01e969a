namespace AspireVector.Node.Configuration;

/// <summary>Wires <see cref="NodeOptions"/> into the host.</summary>
public static class NodeConfigurationExtensions
{
    /// <summary>
    /// Registers <paramref name="options"/> as a singleton and binds Kestrel's REST listener to
    /// <c>service.host:service.http_port</c> with the configured request size limit.
    /// </summary>
    public static WebApplicationBuilder AddNodeOptions(this WebApplicationBuilder builder, NodeOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Logging.SetMinimumLevel(options.LogLevel switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "WARN" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            _ => LogLevel.Information,
        });
        // Per-request framework logs would cost more than the requests themselves on the upsert path.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = (long)options.Service.MaxRequestSizeMb * 1024 * 1024;
        });
        builder.WebHost.UseUrls($"http://{UrlHost(options.Service.Host)}:{options.Service.HttpPort}");
        return builder;
    }

    private static string UrlHost(string host) => host switch
    {
        "0.0.0.0" or "*" => "0.0.0.0",
        "::" => "[::]",
        _ when host.Contains(':') && !host.StartsWith('[') => $"[{host}]",
        _ => host,
    };
}
