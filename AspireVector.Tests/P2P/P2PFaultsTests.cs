using AspireVector.Node.P2P;
using AspireVector.Tests.Storage;

namespace AspireVector.Tests.P2P;

/// <summary>The P2P fault file: <c>drop</c> and <c>delay</c> rules, picked up when the file changes.</summary>
public sealed class P2PFaultsTests
{
    [Fact]
    public void Rules_follow_the_file_as_it_changes()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "faults");
        var faults = new P2PFaults(path);
        const string A = "http://127.0.0.1:7001", B = "http://127.0.0.1:7002";
        Assert.Equal((false, TimeSpan.Zero), faults.Fault(A));

        File.WriteAllLines(path, [$"drop {A}", $"delay {B} 250", "garbage line"]);
        Assert.Equal((true, TimeSpan.Zero), faults.Fault(A));
        Assert.Equal((false, TimeSpan.FromMilliseconds(250)), faults.Fault(B));

        File.Delete(path);
        Assert.Equal((false, TimeSpan.Zero), faults.Fault(A)); // the very next call sees the change
        Assert.Equal((false, TimeSpan.Zero), faults.Fault(B));
    }
}
