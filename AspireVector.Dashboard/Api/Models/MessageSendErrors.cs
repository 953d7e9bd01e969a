namespace AspireVector.Dashboard.Api.Models;

/// <summary>Consecutive consensus message send failures towards one peer (Qdrant's <c>MessageSendErrors</c>).</summary>
public sealed record MessageSendErrors
{
    /// <summary>Failures since the last successful send.</summary>
    public ulong Count { get; init; }

    /// <summary>Text of the latest failure.</summary>
    public string? LatestError { get; init; }

    /// <summary>When the latest failure happened.</summary>
    public DateTimeOffset? LatestErrorTimestamp { get; init; }
}
