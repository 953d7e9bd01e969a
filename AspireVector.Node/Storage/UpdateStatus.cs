namespace AspireVector.Node.Storage;

/// <summary>Qdrant's <c>UpdateStatus</c>: how far an update went before it was answered.</summary>
public enum UpdateStatus
{
    /// <summary>Logged and applied, not yet known to be on disk (<c>wait=false</c>).</summary>
    Acknowledged,

    /// <summary>Applied and fsynced in the WAL (<c>wait=true</c>).</summary>
    Completed,
}
