namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>A transfer in flight in the fake cluster; completes when <see cref="RemainingReads"/> reaches zero.</summary>
public sealed record FakeTransfer(uint Shard, ulong From, ulong To, bool Sync, string? Method, int RemainingReads);
