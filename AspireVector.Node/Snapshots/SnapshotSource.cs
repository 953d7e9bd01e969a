using System.Net.Http.Headers;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Snapshots;

/// <summary>
/// Where a snapshot to recover comes from: a <c>file://</c> URL inside <c>snapshots_path</c> (read in place) or an
/// <c>http(s)://</c> URL (downloaded into the scratch folder), optionally checked against a SHA-256.
/// </summary>
public static class SnapshotSource
{
    /// <summary>
    /// Resolves <paramref name="location"/> to a local file; <c>Owned</c> is true when it is a downloaded copy the
    /// caller deletes. 400 for a bad or unreachable location, 404 for a missing local file.
    /// </summary>
    public static async Task<(string Path, bool Owned)> FetchAsync(string location, string? apiKey, SnapshotStore store, HttpClient http, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri))
            throw new CollectionException(400, $"Bad request: snapshot location `{location}` is not a URL (use file:///... or http(s)://...)");
        if (uri.IsFile)
        {
            string path = Path.GetFullPath(uri.LocalPath);
            if (!store.Contains(path))
                throw new CollectionException(400, $"Bad request: a file:// snapshot location must be inside the snapshots directory {store.Root}");
            if (!File.Exists(path)) throw new CollectionException(404, $"Not found: snapshot file {path} does not exist");
            return (path, false);
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new CollectionException(400, $"Bad request: snapshot location scheme `{uri.Scheme}` is not supported (use file, http or https)");
        string target = Path.Combine(store.NewTempDirectory(), "download" + SnapshotStore.Extension);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (apiKey is not null) request.Headers.TryAddWithoutValidation("api-key", apiKey);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new CollectionException(400, $"Bad request: downloading the snapshot from {uri} failed with {(int)response.StatusCode} {response.ReasonPhrase}");
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            return (target, true);
        }
        catch (HttpRequestException e)
        {
            Discard(target, owned: true);
            throw new CollectionException(400, $"Bad request: downloading the snapshot from {uri} failed: {e.Message}");
        }
        catch
        {
            Discard(target, owned: true);
            throw;
        }
    }

    /// <summary>400 when <paramref name="expected"/> is given and the file's SHA-256 differs.</summary>
    public static async Task VerifyChecksumAsync(string path, string? expected, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(expected)) return;
        string actual = await SnapshotStore.ChecksumAsync(path, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(actual, expected.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new CollectionException(400, $"Bad request: Snapshot checksum mismatch: expected {expected.Trim()}, got {actual}");
    }

    /// <summary>Deletes a downloaded or uploaded file (and its scratch folder); leaves files read in place.</summary>
    public static void Discard(string path, bool owned)
    {
        if (!owned) return;
        string? dir = Path.GetDirectoryName(path);
        if (dir is not null && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
