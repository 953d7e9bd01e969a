namespace AspireVector.Dashboard.Monitoring;

/// <summary>Traffic-light health used consistently across pages.</summary>
public enum HealthColour
{
    /// <summary>Not known (e.g. the peer has no configured REST endpoint).</summary>
    Unknown,

    /// <summary>Healthy.</summary>
    Green,

    /// <summary>Working but degraded (pending operations, elections, fresh send failures).</summary>
    Yellow,

    /// <summary>Down or consensus stopped.</summary>
    Red,
}
