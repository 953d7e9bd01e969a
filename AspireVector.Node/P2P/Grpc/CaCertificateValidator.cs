using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>Validates a peer's TLS certificate against one private CA (<c>tls.ca_cert</c>) instead of the system store.</summary>
public static class CaCertificateValidator
{
    /// <summary>
    /// A validation callback accepting certificates that chain to <paramref name="ca"/> and match the host name.
    /// </summary>
    public static RemoteCertificateValidationCallback Create(X509Certificate2 ca) => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0
            || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // A private cluster CA publishes no revocation lists.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    };
}
