using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AspireVector.AppHost.Orchestration;

namespace AspireVector.Tests.Api.Rest;

/// <summary>The built node binary (<c>dotnet AspireVector.Node.dll</c>) as a child process on a free loopback port.</summary>
internal sealed class NodeProcess : IDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NodeProcess(Process process, int port)
    {
        _process = process;
        Url = $"http://127.0.0.1:{port}";
    }

    /// <summary>Base URL of the REST API.</summary>
    public string Url { get; }

    /// <summary>Everything the node printed, for failure messages.</summary>
    public string Output => string.Join('\n', _output.TakeLast(60));

    /// <summary>How many lines the node printed that contain <paramref name="text"/>.</summary>
    public int OutputLinesContaining(string text) => _output.Count(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>
    /// Starts a node on <paramref name="storagePath"/> (with extra <paramref name="environment"/> settings) and waits
    /// until <c>/readyz</c> answers 200.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(string storagePath, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(RepoPaths.Root, "AspireVector.Node", "bin", BuildOutput.Configuration, BuildOutput.TargetFramework, "AspireVector.Node.dll");
        Assert.True(File.Exists(dll), "Node not built: " + dll);
        int port = FreePort();
        var info = new ProcessStartInfo(Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        info.Environment["AV__SERVICE__HOST"] = "127.0.0.1";
        info.Environment["AV__SERVICE__HTTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["AV__SERVICE__GRPC_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["AV__STORAGE__STORAGE_PATH"] = storagePath;
        // Flush often, so the crash finds some operations in flushed segments and some only in the WAL.
        info.Environment["AV__STORAGE__OPTIMIZERS__FLUSH_INTERVAL_SEC"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        var node = new NodeProcess(new Process { StartInfo = info }, port);
        node._process.OutputDataReceived += (_, e) => { if (e.Data is not null) node._output.Enqueue(e.Data); };
        node._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) node._output.Enqueue(e.Data); };
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        await node.WaitReadyAsync();
        return node;
    }

    /// <summary>SIGKILL: no shutdown hooks, no final flush.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        using var deadline = new CancellationTokenSource(ReadyDeadline);
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>SIGTERM: the node shuts down cleanly (final flush, WAL truncated) and exits.</summary>
    public async Task StopAsync()
    {
        Assert.Equal(0, SendSignal(_process.Id, 15));
        using var deadline = new CancellationTokenSource(ReadyDeadline);
        await _process.WaitForExitAsync(deadline.Token);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + ReadyDeadline;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            Assert.False(_process.HasExited, "node exited during start-up:\n" + Output);
            try
            {
                using var ready = await http.GetAsync(Url + "/readyz");
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Assert.True(DateTime.UtcNow < until, "node not ready in time:\n" + Output);
            await timer.WaitForNextTickAsync();
        }
    }

    private static int FreePort()
    {
        return TestPorts.Free();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
