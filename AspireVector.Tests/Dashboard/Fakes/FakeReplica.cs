namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>A replica of a shard on a peer in the fake cluster.</summary>
public sealed record FakeReplica(uint Shard, ulong Peer, string State, ulong Points);
