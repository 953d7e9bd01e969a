using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Snapshots;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AspireVector.Node.Api.Rest;

/// <summary>Parameters and bodies of the snapshot endpoints.</summary>
public static class SnapshotRequests
{
    private static readonly string[] Priorities = ["no_sync", "snapshot", "replica"];

    /// <summary>A recover request: <c>{"location":..,"priority":..,"checksum":..,"api_key":..}</c>.</summary>
    public sealed record Recover(string Location, string? Priority, string? Checksum, string? ApiKey);

    /// <summary><c>?wait=</c> of snapshot operations: true (the default, as in Qdrant) or false.</summary>
    public static bool Wait(HttpContext context) => QueryParameters.ReadBool(context.Request.Query, "wait") ?? true;

    /// <summary>Shard id from the path; 400 when it is not a number.</summary>
    public static uint ShardId(string value) =>
        uint.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : throw new CollectionException(400, $"Validation error in path parameters: [shard_id: `{value}` is not a shard id]");

    /// <summary><c>priority</c> (query or body): <c>no_sync</c>, <c>snapshot</c> or <c>replica</c>.</summary>
    public static string? Priority(string? value) =>
        value is null || Array.IndexOf(Priorities, value) >= 0
            ? value : throw CollectionException.BadJson($"unknown variant `{value}`, expected one of `no_sync`, `snapshot`, `replica`");

    /// <summary>Reads and validates the recover body.</summary>
    public static async Task<Recover> ReadRecoverAsync(HttpContext context, NodeOptions options)
    {
        using var body = await RequestBody.ReadAsync(context, options);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
        string location = root.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.String
            ? l.GetString()! : throw CollectionException.BadJson("missing field `location` (a string)");
        return new Recover(location, Priority(OptionalString(root, "priority")), OptionalString(root, "checksum"), OptionalString(root, "api_key"));
    }

    /// <summary>
    /// Streams the <c>snapshot</c> file field of a multipart upload into a scratch file (the request size limit does not
    /// apply: snapshots are large). Returns its path; 400 when the body is not multipart or has no such field.
    /// </summary>
    public static async Task<string> ReceiveUploadAsync(HttpContext context, SnapshotStore store)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new CollectionException(400, "Bad request: expected a multipart/form-data body with a `snapshot` file field");
        string boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? "";
        if (boundary.Length == 0) throw new CollectionException(400, "Bad request: the multipart body has no boundary");
        var reader = new MultipartReader(boundary, context.Request.Body);
        try
        {
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                    !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "snapshot", StringComparison.Ordinal))
                    continue;
                string path = Path.Combine(store.NewTempDirectory(), "upload" + SnapshotStore.Extension);
                await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await section.Body.CopyToAsync(file, context.RequestAborted);
                return path;
            }
        }
        catch (IOException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new CollectionException(400, $"Bad request: malformed multipart body: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            throw new CollectionException(400, $"Bad request: malformed multipart body: {e.Message}");
        }

        throw new CollectionException(400, "Bad request: the multipart body has no `snapshot` file field");
    }

    private static string? OptionalString(JsonElement root, string field) =>
        !root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw CollectionException.BadJson($"invalid type for `{field}`: expected a string");
}
