using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspireVector.Tests.Storage;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>With <c>service.enable_tls</c> the gRPC port speaks TLS with <c>tls.cert</c>/<c>tls.key</c>.</summary>
public sealed class GrpcTlsTests
{
    [Fact]
    public async Task Official_client_talks_to_the_node_over_tls()
    {
        using var files = new TempDirectory();
        using var certificate = SelfSigned();
        string certPath = Path.Combine(files.Path, "cert.pem");
        string keyPath = Path.Combine(files.Path, "key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        await using var node = GrpcNode.Start(o =>
        {
            o.Service.EnableTls = true;
            o.Tls.Cert = certPath;
            o.Tls.Key = keyPath;
        });
        // The client pins the server certificate by its SHA-256 thumbprint, as Qdrant's docs describe for self-signed ones.
        using var channel = QdrantChannel.ForAddress($"https://127.0.0.1:{node.GrpcPort}",
            new ClientConfiguration { CertificateThumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256) });
        using var client = new QdrantClient(new QdrantGrpcClient(channel));
        await client.CreateCollectionAsync("tls", new VectorParams { Size = 2, Distance = Distance.Dot });
        await client.UpsertAsync("tls", [new PointStruct { Id = 1ul, Vectors = new[] { 1f, 2f } }], wait: true);
        Assert.Equal(1ul, await client.CountAsync("tls"));

        // A plaintext (h2c) client gets no answer from the TLS port.
        using var plain = new QdrantClient("127.0.0.1", node.GrpcPort);
        await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => plain.ListCollectionsAsync());
    }

    private static X509Certificate2 SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
