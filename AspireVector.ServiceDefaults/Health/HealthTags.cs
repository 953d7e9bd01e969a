namespace AspireVector.ServiceDefaults.Health;

/// <summary>
/// Tags that decide which health endpoint runs a check. <c>/healthz</c> and <c>/livez</c> run only
/// <see cref="Live"/> checks; <c>/readyz</c> runs every check, so a node makes itself not-ready by
/// registering a check (e.g. "all shards are ready") with <c>AddHealthChecks().AddCheck(...)</c>.
/// </summary>
public static class HealthTags
{
    /// <summary>The process is alive and serving; failing it gets the process restarted.</summary>
    public const string Live = "live";

    /// <summary>The service can take traffic (checked by <c>/readyz</c>, like every other check).</summary>
    public const string Ready = "ready";
}
