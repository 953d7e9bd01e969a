namespace AspireVector.Benchmarks.Stress;

/// <summary>One node under stress: its REST address and a way to find its process id (for RSS samples).</summary>
public sealed record StressNode(Uri Url, Func<int?> ProcessId);
