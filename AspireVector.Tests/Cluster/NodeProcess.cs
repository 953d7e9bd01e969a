using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// One real AspireVector.Node process (the built dll run by <c>dotnet</c>) on free loopback ports with its own
/// storage folder; it can be killed (SIGKILL) and started again on the same ports and storage.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    public NodeProcess(string name, string storage, IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        Storage = storage;
        HttpPort = FreePort();
        P2PPort = FreePort();
        GrpcPort = FreePort();
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["AV__SERVICE__HOST"] = "127.0.0.1",
            ["AV__SERVICE__HTTP_PORT"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AV__SERVICE__GRPC_PORT"] = GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AV__CLUSTER__P2P__PORT"] = P2PPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AV__STORAGE__STORAGE_PATH"] = storage,
        };
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public string Storage { get; }

    public int HttpPort { get; }

    public int P2PPort { get; }

    /// <summary>The public (Qdrant) gRPC port.</summary>
    public int GrpcPort { get; }

    /// <summary>This node's P2P uri as Qdrant prints it (trailing slash).</summary>
    public string P2PUri => $"http://127.0.0.1:{P2PPort}/";

    public HttpClient Http { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The operating system's id of the running node process.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>Path of the node's build output, in the same configuration as the tests.</summary>
    public static string NodeDll
    {
        get
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            string dll = Path.Combine(RepoPaths.Root, "AspireVector.Node", "bin", configuration, "net10.0", "AspireVector.Node.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build AspireVector.Node first", dll);
        }
    }

    /// <summary>Makes the node start as peer <paramref name="peerId"/>: writes the id file it keeps under its storage folder.</summary>
    public void SeedPeerId(ulong peerId)
    {
        var raft = Path.Combine(Storage, "raft");
        Directory.CreateDirectory(raft);
        File.WriteAllText(Path.Combine(raft, "peer_id"), peerId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(NodeDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in _environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        await Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    internal static int FreePort()
    {
        return TestPorts.Free();
    }
}
