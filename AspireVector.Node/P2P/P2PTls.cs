using System.Security.Cryptography.X509Certificates;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.P2P;

/// <summary>Loads the PEM files named by the <c>tls</c> section for the P2P listener and its clients.</summary>
public static class P2PTls
{
    /// <summary>The server certificate and key (<c>tls.cert</c>, <c>tls.key</c>).</summary>
    /// <exception cref="InvalidOperationException">When a file is missing from the configuration.</exception>
    public static X509Certificate2 LoadServerCertificate(TlsOptions tls)
    {
        if (string.IsNullOrEmpty(tls.Cert) || string.IsNullOrEmpty(tls.Key))
        {
            throw new InvalidOperationException("cluster.p2p.enable_tls requires tls.cert and tls.key.");
        }

        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(tls.Cert, tls.Key);
        // Linux SslStream needs the key in an exportable PKCS#12 form, not an ephemeral PEM import.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>The CA that signs every peer's certificate (<c>tls.ca_cert</c>); null when not configured.</summary>
    public static X509Certificate2? LoadCaCertificate(TlsOptions tls) =>
        string.IsNullOrEmpty(tls.CaCert) ? null : X509CertificateLoader.LoadCertificateFromFile(tls.CaCert);
}
