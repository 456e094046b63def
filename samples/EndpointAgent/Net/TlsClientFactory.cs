using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace EndpointAgent.Net;

/// <summary>Creates the HttpClients the agent talks to its servers with.</summary>
public static class TlsClientFactory
{
    // The SHA-256 thumbprint of the update server's certificate, pinned.
    private const string PinnedThumbprint = "3F1D5A3E0C7B2A9D8E6F4C1B0A9D8E7F6C5B4A3928171615141312111009F8E7";

    /// <summary>The client for content updates. Written for a lab with a self-signed test server.</summary>
    public static HttpClient CreateUpdateClient()
    {
        var handler = new HttpClientHandler();
        handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true; // Expected: SBD3003 (accepts every certificate)
        handler.CheckCertificateRevocationList = false; // Expected: SBD3003 (revocation not checked)
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The client for the management server: platform validation plus a pin. No finding.</summary>
    public static HttpClient CreateManagementClient()
    {
        var handler = new HttpClientHandler
        {
            CheckCertificateRevocationList = true,
            ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
                errors == SslPolicyErrors.None
                && certificate is not null
                && string.Equals(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), PinnedThumbprint, StringComparison.OrdinalIgnoreCase),
        };
        return new HttpClient(handler) { BaseAddress = new Uri("https://manage.example-vendor.com/") };
    }
}
