namespace AspireVector.Tests.Api.Rest;

/// <summary>A node whose <c>storage.snapshots_path</c> lies in its temp storage folder.</summary>
public class SnapshotRestNode : RestNode
{
    public SnapshotRestNode() : this(_ => { }) { }

    protected SnapshotRestNode(Action<AspireVector.Node.Configuration.NodeOptions> configure)
        : base(o =>
        {
            o.Storage.SnapshotsPath = Path.Combine(o.Storage.StoragePath, "snapshots");
            configure(o);
        })
    {
    }

    /// <summary>Absolute <c>snapshots_path</c>.</summary>
    public string SnapshotsPath => Path.GetFullPath(Options.Storage.SnapshotsPath);

    /// <summary>Downloads <paramref name="path"/> as bytes, asserting 200 and the octet-stream type.</summary>
    public async Task<byte[]> DownloadAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Uploads <paramref name="snapshot"/> as the <c>snapshot</c> multipart field to <paramref name="path"/>.</summary>
    public async Task<RestAnswer> UploadAsync(string path, byte[] snapshot)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(snapshot), "snapshot", "upload.snapshot");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        return await SendAsync(request);
    }
}
