namespace AspireVector.Node.P2P;

/// <summary>Consecutive failed sends to one peer, as <c>GET /cluster</c> reports them under <c>message_send_failures</c>.</summary>
/// <param name="Count">Failures since the last successful send.</param>
/// <param name="LatestError">Message of the latest failure.</param>
/// <param name="LatestErrorTimestamp">When the latest failure happened (UTC).</param>
public sealed record MessageSendErrors(long Count, string? LatestError, DateTimeOffset? LatestErrorTimestamp);
