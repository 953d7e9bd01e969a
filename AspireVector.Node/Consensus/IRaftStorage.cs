namespace AspireVector.Node.Consensus;

/// <summary>Durable home of a peer's Raft state. Every method returns only once its data is on stable storage.</summary>
public interface IRaftStorage
{
    /// <summary>Reads everything persisted so far (empty on first start).</summary>
    RaftPersistentState Load();

    /// <summary>Persists a Ready's snapshot (replacing the log), entries (overwriting from their first index) and hard state.</summary>
    void Save(Ready ready);

    /// <summary>Persists a locally taken snapshot and drops stored entries it covers.</summary>
    void SaveSnapshot(RaftSnapshot snapshot);
}
