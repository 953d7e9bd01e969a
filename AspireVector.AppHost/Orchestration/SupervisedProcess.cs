using System.Diagnostics;

namespace AspireVector.AppHost.Orchestration;

/// <summary>
/// One child process kept alive by the launcher: its output streamed with a prefix, its unexpected exits
/// reported and (policy <see cref="RestartPolicy.Always"/>) restarted with exponential back-off.
/// </summary>
/// <remarks>The supervision loop is the only writer of the current process; <see cref="StopAsync"/> may run concurrently.</remarks>
public sealed class SupervisedProcess
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>A child that ran this long before dying is considered healthy: back-off starts over.</summary>
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(30);

    private readonly ChildProcessSpec _spec;
    private readonly RestartPolicy _policy;
    private readonly ConsoleLog _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _launchGate = new();
    private volatile Process? _current;
    private Task? _loop;

    /// <summary>Creates a supervisor; call <see cref="Start"/> to launch.</summary>
    public SupervisedProcess(ChildProcessSpec spec, RestartPolicy policy, ConsoleLog log)
    {
        _spec = spec;
        _policy = policy;
        _log = log;
    }

    /// <summary>Resource name.</summary>
    public string Name => _spec.Name;

    /// <summary>Pid of the running child, or null between restarts / after it stopped.</summary>
    public int? ProcessId => _current is { } p && !HasExited(p) ? p.Id : null;

    /// <summary>How many times the child has been (re)started.</summary>
    public int Starts { get; private set; }

    /// <summary>Launches the child and starts supervising it.</summary>
    public void Start()
    {
        LaunchOnce();
        _loop = Task.Run(SuperviseAsync);
    }

    /// <summary>
    /// Stops supervising, sends SIGTERM and waits until <paramref name="grace"/> elapses; then kills the whole tree.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        lock (_launchGate)
        {
            // Under the gate: after this no restart can slip in, so _current is final.
            _stopping.Cancel();
        }

        if (_current is { } process && !HasExited(process))
        {
            if (!NativeSignals.Terminate(process.Id))
            {
                process.Kill(entireProcessTree: true);
            }

            using var deadline = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _log.Info($"{Name} did not stop within {grace.TotalSeconds:0}s; killing it.");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task SuperviseAsync()
    {
        var backoff = FirstBackoff;
        while (true)
        {
            var process = _current!;
            var started = DateTime.UtcNow;
            try
            {
                await process.WaitForExitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _log.Info($"{Name} (pid {process.Id}) exited with code {process.ExitCode}.");
            if (_policy == RestartPolicy.Never)
            {
                _log.Info($"{Name} is left stopped (--restart never).");
                return;
            }

            backoff = DateTime.UtcNow - started >= StableRun ? FirstBackoff : backoff;
            _log.Info($"Restarting {Name} in {backoff.TotalSeconds:0}s.");
            try
            {
                await Task.Delay(backoff, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            try
            {
                lock (_launchGate)
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    LaunchOnce();
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                _log.Info($"Could not restart {Name}: {e.Message}");
                return;
            }
        }
    }

    private void LaunchOnce()
    {
        var info = new ProcessStartInfo(_spec.FileName)
        {
            WorkingDirectory = _spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in _spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _spec.Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _current = process;
        Starts++;
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            _log.Line(_spec.Name, line);
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
