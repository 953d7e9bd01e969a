using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace AspireVector.Benchmarks.Load;

/// <summary>
/// A single-node AspireVector process (<c>dotnet AspireVector.Node.dll</c>) on a free loopback port, cluster off,
/// with its storage in a folder the caller owns so a restart can reuse it.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private const int KeptOutputLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private NodeProcess(Process process, Uri url, int grpcPort, long startedTimestamp)
    {
        GrpcPort = grpcPort;
        _process = process;
        Url = url;
        StartedTimestamp = startedTimestamp;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The node's REST address.</summary>
    public Uri Url { get; }

    /// <summary>The node's public gRPC port.</summary>
    public int GrpcPort { get; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was started.</summary>
    public long StartedTimestamp { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's id of the node process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Every line the node writes (stdout and stderr), as it is written; set it right after the start.</summary>
    public Action<string>? OnOutput { get; set; }

    /// <summary>The last lines the node wrote, for error messages.</summary>
    public string RecentOutput
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>
    /// <paramref name="explicitPath"/>, else <c>AspireVector.Node/bin/&lt;this build's configuration&gt;/net10.0/AspireVector.Node.dll</c>
    /// in the repository above this assembly (the project reference builds it).
    /// </summary>
    public static string FindNodeDll(string? explicitPath)
    {
        if (explicitPath is not null)
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new FileNotFoundException("--node-dll not found", explicitPath);
        string configuration = typeof(NodeProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "AspireVector.sln"))) continue;
            string dll = Path.Combine(dir.FullName, "AspireVector.Node", "bin", configuration, "net10.0", "AspireVector.Node.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the node first: dotnet build AspireVector.sln -c {configuration}", dll);
        }
        throw new FileNotFoundException("AspireVector.sln not found above " + AppContext.BaseDirectory + "; pass --node-dll");
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the node on a fresh free port with its storage under <paramref name="root"/>.</summary>
    public static NodeProcess Start(string dll, string root, int port) => Start(dll, root, port, new Dictionary<string, string>());

    /// <summary>
    /// Starts the node with <paramref name="environment"/> on top of the single-node defaults (set
    /// <c>AV__CLUSTER__ENABLED</c> there for cluster mode) and the flags <paramref name="args"/>.
    /// </summary>
    public static NodeProcess Start(string dll, string root, int port, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root, // no stray config/config.yaml gets picked up
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (string key in start.Environment.Keys.ToArray())
        {
            if (key.StartsWith("AV__", StringComparison.Ordinal) || key.StartsWith("QDRANT__", StringComparison.Ordinal)) start.Environment.Remove(key);
        }
        start.Environment["AV__SERVICE__HOST"] = "127.0.0.1";
        start.Environment["AV__SERVICE__HTTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AV__SERVICE__GRPC_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AV__STORAGE__STORAGE_PATH"] = Path.Combine(root, "storage");
        start.Environment["AV__STORAGE__SNAPSHOTS_PATH"] = Path.Combine(root, "snapshots");
        start.Environment["AV__CLUSTER__ENABLED"] = "false";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        long started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        int grpcPort = int.Parse(start.Environment["AV__SERVICE__GRPC_PORT"]!, System.Globalization.CultureInfo.InvariantCulture);
        return new NodeProcess(process, new Uri($"http://127.0.0.1:{port}/"), grpcPort, started);
    }

    /// <summary>SIGKILL (no shutdown hooks, no final flush), then waits for the process to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        OnOutput?.Invoke(line);
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines) _output.Dequeue();
        }
    }
}
