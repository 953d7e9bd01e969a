namespace AspireVector.Dashboard.Monitoring;

/// <summary>One <c>message_send_failures</c> entry: a reporting peer failing to reach a target.</summary>
/// <param name="ReporterPeerId">Peer that reported the failures, as text.</param>
/// <param name="TargetUri">P2P uri it fails to reach.</param>
/// <param name="TargetPeerId">Peer id of the target when its uri is a known peer, as text.</param>
/// <param name="Count">Consecutive failures.</param>
/// <param name="LatestError">Latest error text.</param>
/// <param name="LatestErrorAt">When the latest failure happened.</param>
/// <param name="IsFresh">True while the latest failure is recent enough to highlight.</param>
public sealed record SendFailureRow(string ReporterPeerId, string TargetUri, string? TargetPeerId, ulong Count, string? LatestError, DateTimeOffset? LatestErrorAt, bool IsFresh);
