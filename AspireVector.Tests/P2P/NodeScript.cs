using System.Diagnostics;
using System.Threading.Channels;

namespace AspireVector.Tests.P2P;

/// <summary>
/// A <c>node</c> process running one of the scripts in <c>AspireVector.Tests/js</c>, with its stdout as lines.
/// Closing stdin asks the script to exit; a script that does not is killed (only this process tree).
/// </summary>
internal sealed class NodeScript : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>Packages of <c>js/package.json</c> the scripts load; a folder missing any of them gets <c>npm ci</c>.</summary>
    private static readonly string[] RequiredPackages = ["@grpc/grpc-js", "@grpc/proto-loader", "@qdrant/js-client-rest"];
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly System.Text.StringBuilder _stderr = new();

    private NodeScript(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary><c>AspireVector.Tests/js</c> of the repository the tests were built from.</summary>
    public static string JsDirectory { get; } = Path.Combine(FindRepositoryRoot(), "AspireVector.Tests", "js");

    /// <summary>What the script wrote to stderr so far (for assertion messages).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>node <paramref name="script"/></c>, installing the npm packages first if <c>npm ci</c> has not run.</summary>
    public static async Task<NodeScript> StartAsync(string script, params string[] args)
    {
        await EnsurePackagesAsync();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = JsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // grpc-js must reach loopback directly even if the machine has a proxy configured.
        start.Environment["no_grpc_proxy"] = "*";
        start.Environment.Remove("grpc_proxy");
        start.Environment.Remove("http_proxy");
        start.Environment.Remove("https_proxy");
        return new NodeScript(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
    }

    /// <summary>The next stdout line matching <paramref name="predicate"/>, skipping others.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
            {
                while (_lines.Reader.TryRead(out string? line))
                {
                    if (predicate(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching line from node within {timeout}. stderr: {StandardError}");
        }

        throw new InvalidOperationException($"node exited (code {(_process.HasExited ? _process.ExitCode : -1)}) without a matching line. stderr: {StandardError}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already exited.
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task EnsurePackagesAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (RequiredPackages.All(package => Directory.Exists(Path.Combine(JsDirectory, "node_modules", package))))
            {
                return;
            }

            var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = JsDirectory, UseShellExecute = false };
            using Process npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await npm.WaitForExitAsync(cts.Token);
            Assert.True(npm.ExitCode == 0, "npm ci failed in " + JsDirectory);
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AspireVector.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AspireVector.sln not found above " + AppContext.BaseDirectory);
    }
}
