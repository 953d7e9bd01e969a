using System.Diagnostics;
using System.Text.Json;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's answer to a <c>wait=false</c> operation left running: 202 <c>{"status":"accepted","time":s}</c>.</summary>
public sealed class AcceptedResponse(long started) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString("status", "accepted");
            writer.WriteNumber("time", Stopwatch.GetElapsedTime(started).TotalSeconds);
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
