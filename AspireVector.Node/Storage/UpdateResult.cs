namespace AspireVector.Node.Storage;

/// <summary>Qdrant's <c>UpdateResult</c>: the operation number and how far the update went.</summary>
/// <param name="OperationId">Operation number of the (last) WAL record written.</param>
/// <param name="Status">Acknowledged or completed.</param>
public readonly record struct UpdateResult(ulong OperationId, UpdateStatus Status);
