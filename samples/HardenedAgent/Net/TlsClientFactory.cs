using System.Net.Security;

namespace EndpointAgent.Net;

/// <summary>Creates the HttpClients the agent talks to its servers with.</summary>
public static class TlsClientFactory
{
    // The SHA-256 thumbprint of the management server's certificate, pinned.
    private const string PinnedThumbprint = "3F1D5A3E0C7B2A9D8E6F4C1B0A9D8E7F6C5B4A3928171615141312111009F8E7";

    /// <summary>The client for content updates: the platform validates the chain and checks revocation.</summary>
    public static HttpClient CreateUpdateClient()
    {
        var handler = new HttpClientHandler { CheckCertificateRevocationList = true };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The client for the management server: platform validation plus a pin.</summary>
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
