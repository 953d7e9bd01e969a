namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>How <c>/metrics</c> spells family names.</summary>
public sealed class MetricsExpositionOptions
{
    /// <summary>
    /// Prepended verbatim to every family name, as Qdrant's <c>service.metrics_prefix</c> (e.g. <c>qdrant_</c>).
    /// Read at each scrape, so it may be configured after the host is built.
    /// </summary>
    public string? Prefix { get; set; }
}
