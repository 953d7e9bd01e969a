using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AspireVector.Tests.Dashboard.Browser;

/// <summary>
/// Runs the built dashboard as its own process (Kestrel on a free loopback port chosen by the OS),
/// pointed at nodes through Aspire-style <c>services__node-i__http__0</c> variables.
/// </summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private DashboardProcess(Process process) => _process = process;

    /// <summary>Base address the dashboard listens on.</summary>
    public string BaseAddress { get; private set; } = "";

    /// <summary>Everything the process printed so far (for failure messages).</summary>
    public string Output { get { lock (_output) { return string.Join('\n', _output); } } }

    /// <summary>Starts the dashboard and waits until it answers <c>/livez</c>.</summary>
    public static async Task<DashboardProcess> StartAsync(IReadOnlyList<string> nodeAddresses, TimeSpan deadline)
    {
        var binDirectory = DashboardBinDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = binDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(binDirectory, "AspireVector.Dashboard.dll"), "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        // Production, as the AppHost runs it: assets must still come from the build output, offline.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        for (var i = 0; i < nodeAddresses.Count; i++)
        {
            start.Environment[$"services__node-{i}__http__0"] = nodeAddresses[i];
        }

        var dashboard = new DashboardProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        dashboard._process.OutputDataReceived += (_, e) => dashboard.Collect(e.Data, listening);
        dashboard._process.ErrorDataReceived += (_, e) => dashboard.Collect(e.Data, listening);
        dashboard._process.BeginOutputReadLine();
        dashboard._process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            dashboard.BaseAddress = await listening.Task.WaitAsync(timeout.Token);
            using var http = new HttpClient();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync(dashboard.BaseAddress + "/livez", timeout.Token)).IsSuccessStatusCode)
                    {
                        return dashboard;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not accepting yet; the deadline bounds the loop.
                }

                await Task.Yield();
            }
        }
        catch (OperationCanceledException)
        {
            var output = dashboard.Output;
            await dashboard.DisposeAsync();
            throw new TimeoutException($"The dashboard did not start within {deadline}:\n{output}");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The repository root (the folder holding AspireVector.sln).</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AspireVector.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AspireVector.sln not found above " + AppContext.BaseDirectory);
    }

    private static string DashboardBinDirectory()
    {
        // Tests run from AspireVector.Tests/bin/<Configuration>/<tfm>/; the dashboard was built beside it.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "AspireVector.Dashboard", "bin", configuration, testBin.Name);
        return File.Exists(Path.Combine(path, "AspireVector.Dashboard.dll")) ? path : throw new InvalidOperationException($"Build AspireVector.Dashboard first: {path}");
    }

    private void Collect(string? line, TaskCompletionSource<string> listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (ListeningOn().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
