using System.Text;
using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus;

/// <summary>Test state machine: the ordered list of applied commands (as strings); snapshot = newline-joined list.</summary>
internal sealed class ListStateMachine : IRaftStateMachine
{
    private readonly object _gate = new();
    private List<string> _applied = [];

    public int Restores { get; private set; }

    public IReadOnlyList<string> Applied
    {
        get
        {
            lock (_gate)
            {
                return [.. _applied];
            }
        }
    }

    public Task ApplyAsync(ulong index, ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(command.Span);
        if (text == "fail")
        {
            throw new InvalidOperationException("refused by the state machine");
        }

        lock (_gate)
        {
            _applied.Add(text);
        }

        return Task.CompletedTask;
    }

    public Task<byte[]> SnapshotAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Encoding.UTF8.GetBytes(string.Join('\n', _applied)));
        }
    }

    public Task RestoreAsync(byte[] image, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(image);
        lock (_gate)
        {
            _applied = text.Length == 0 ? [] : [.. text.Split('\n')];
            Restores++;
        }

        return Task.CompletedTask;
    }
}
