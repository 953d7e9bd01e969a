namespace AspireVector.AppHost.Orchestration;

/// <summary>How to start one child: executable, arguments, environment and working directory.</summary>
public sealed record ChildProcessSpec(
    string Name,
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory);
