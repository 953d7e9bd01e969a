namespace AspireVector.AppHost;

/// <summary>A failure the user can fix (port taken, build output missing); printed without a stack trace.</summary>
public sealed class AppHostException(string message) : Exception(message);
