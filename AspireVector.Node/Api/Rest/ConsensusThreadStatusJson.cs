using System.Globalization;
using System.Text.Json;
using AspireVector.Node.Consensus;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's <c>ConsensusThreadStatus</c> object, shared by <c>GET /cluster</c> and <c>GET /cluster/telemetry</c>.</summary>
public static class ConsensusThreadStatusJson
{
    /// <summary>Writes <c>{"consensus_thread_status": "working"|"stopped"|"stopped_with_err", "last_update": .., "err": ..}</c>.</summary>
    public static void Write(Utf8JsonWriter w, ConsensusThreadState state, DateTimeOffset lastUpdate, string? error)
    {
        w.WriteStartObject();
        w.WriteString("consensus_thread_status", state switch
        {
            ConsensusThreadState.Working => "working",
            ConsensusThreadState.StoppedWithErr => "stopped_with_err",
            _ => "stopped",
        });
        w.WriteString("last_update", Timestamp(lastUpdate));
        if (error is not null) w.WriteString("err", error);
        w.WriteEndObject();
    }

    /// <summary>Qdrant's RFC 3339 timestamps with seven fractional digits, in UTC.</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
