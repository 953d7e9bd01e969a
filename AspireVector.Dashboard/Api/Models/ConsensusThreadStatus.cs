namespace AspireVector.Dashboard.Api.Models;

/// <summary>State of a peer's consensus thread: <c>working</c>, <c>stopped</c> or <c>stopped_with_err</c>.</summary>
public sealed record ConsensusThreadStatus
{
    /// <summary>The status tag as sent by the API (JSON name <c>consensus_thread_status</c>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("consensus_thread_status")]
    public string Status { get; init; } = "";

    /// <summary>When the thread last made progress (only while working).</summary>
    public DateTimeOffset? LastUpdate { get; init; }

    /// <summary>Why the thread stopped (only for <c>stopped_with_err</c>).</summary>
    public string? Err { get; init; }

    /// <summary>True while the consensus thread runs.</summary>
    public bool IsWorking => string.Equals(Status, "working", StringComparison.OrdinalIgnoreCase);
}
