using System.Diagnostics;
using System.Text.Json;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's response envelopes: <c>{"result":..,"status":"ok","time":s}</c> and
/// <c>{"status":{"error":".."},"time":s}</c>, written straight to the response with a Utf8JsonWriter.
/// </summary>
public sealed class QdrantResponse : IResult
{
    private readonly Action<Utf8JsonWriter>? _writeResult;
    private readonly long _started;
    private readonly int _statusCode;
    private readonly string? _error;

    private QdrantResponse(Action<Utf8JsonWriter>? writeResult, long started, int statusCode, string? error)
    {
        _writeResult = writeResult;
        _started = started;
        _statusCode = statusCode;
        _error = error;
    }

    /// <summary>A success envelope whose <c>result</c> is written by <paramref name="writeResult"/>.</summary>
    public static QdrantResponse Ok(long started, Action<Utf8JsonWriter> writeResult) => new(writeResult, started, 200, null);

    /// <summary>A success envelope with a boolean result.</summary>
    public static QdrantResponse Ok(long started, bool result) => new(w => w.WriteBooleanValue(result), started, 200, null);

    /// <summary>An error envelope.</summary>
    public static QdrantResponse Error(long started, int statusCode, string message) => new(null, started, statusCode, message);

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = _statusCode;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (_error is null)
            {
                writer.WritePropertyName("result");
                _writeResult!(writer);
                writer.WriteString("status", "ok");
            }
            else
            {
                writer.WritePropertyName("status");
                writer.WriteStartObject();
                writer.WriteString("error", _error);
                writer.WriteEndObject();
            }
            writer.WriteNumber("time", Stopwatch.GetElapsedTime(_started).TotalSeconds);
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
