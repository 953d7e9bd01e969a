using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Turns exceptions into Qdrant's error envelope: client mistakes get their 4xx and a message naming the
/// problem, anything else a 500 without a stack trace (logged server-side).
/// </summary>
public sealed partial class QdrantErrorMiddleware(RequestDelegate next, ILogger<QdrantErrorMiddleware> logger)
{
    /// <summary>Runs the pipeline and maps failures.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var (status, message) = Map(e);
            if (status >= 500) LogUnexpected(logger, e, context.Request.Path);
            context.Response.Clear();
            await QdrantResponse.Error(started, status, message).ExecuteAsync(context);
        }
    }

    /// <summary>Status and message for an exception.</summary>
    public static (int Status, string Message) Map(Exception e) => e switch
    {
        CollectionException c => (c.StatusCode, c.Message),
        BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            (413, "Payload error: JSON payload is larger than allowed"),
        BadHttpRequestException b => (b.StatusCode, "Bad request: " + b.Message),
        JsonException j => (400, "Format error in JSON body: " + j.Message),
        InvalidOperationException { InnerException: JsonException j } => (400, "Format error in JSON body: " + j.Message),
        ArgumentException a => (400, "Wrong input: " + a.Message),
        // The cause is in the node's log; type names and stack traces stay out of answers.
        _ => (500, "Service internal error: the request failed unexpectedly, see the node's log"),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error serving {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception e, string path);
}
