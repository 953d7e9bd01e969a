namespace AspireVector.Node.Storage;

/// <summary>The kinds of update a local shard logs in its WAL and applies to its segment.</summary>
public enum ShardOperationKind : byte
{
    /// <summary>Insert or replace points (vectors and payload).</summary>
    Upsert = 1,

    /// <summary>Delete points by id.</summary>
    Delete = 2,

    /// <summary>Merge keys into the payload of points (optionally under a nested key).</summary>
    SetPayload = 3,

    /// <summary>Replace the whole payload of points.</summary>
    OverwritePayload = 4,

    /// <summary>Remove keys from the payload of points.</summary>
    DeletePayload = 5,

    /// <summary>Remove the whole payload of points.</summary>
    ClearPayload = 6,

    /// <summary>Replace some named vectors of existing points, keeping their other vectors and their payload.</summary>
    UpdateVectors = 7,

    /// <summary>Remove some named vectors of points (the points stay).</summary>
    DeleteVectors = 8,
}
