using System.Security.Cryptography;
using SecureByDesign;

namespace EndpointAgent.Updates;

/// <summary>Downloads the signed content update (signatures, rules) and stages it once verified.</summary>
public sealed class ContentUpdateClient(HttpClient http, RSA publisherKey)
{
    // The vendor's content server, still on plain http from the days of the first agent.
    private const string UpdateFeed = "http://updates.example-vendor.com/agent/content/";

    // The new content delivery network, over https: no finding.
    private static readonly Uri ContentDelivery = new("https://cdn.example-vendor.com/agent/content/");

    // The local service that reports the agent's health; loopback never leaves the machine: no finding.
    private const string HealthEndpoint = "http://localhost:5290/health";

    public async Task<string?> DownloadAsync(string stagingDirectory, CancellationToken cancellationToken)
    {
        // The manifest comes over plain http; the code fix rewrites UpdateFeed to https.
        using var manifestResponse = await http.GetAsync(UpdateFeed + "manifest.json", cancellationToken); // Expected: SBD3006
        manifestResponse.EnsureSuccessStatusCode();
        var manifest = await manifestResponse.Content.ReadAsByteArrayAsync(cancellationToken); // Expected: SBD2006

        var package = await http.GetByteArrayAsync(new Uri(ContentDelivery, "content.pkg"), cancellationToken);
        var signature = await http.GetByteArrayAsync(new Uri(ContentDelivery, "content.pkg.sig"), cancellationToken);
        if (!VerifySignature(package, signature))
        {
            return null;
        }

        Directory.CreateDirectory(stagingDirectory);
        var staged = Path.Combine(stagingDirectory, "content.pkg");
        await File.WriteAllBytesAsync(staged, package, cancellationToken);
        // The manifest is staged next to the verified package, but nothing verified the manifest itself.
        await File.WriteAllBytesAsync(Path.Combine(stagingDirectory, "manifest.json"), manifest, cancellationToken); // Expected: SBD3001
        await ReportAsync("staged", cancellationToken);
        return staged;
    }

    /// <summary>Tells the local health service what happened.</summary>
    private async Task ReportAsync(string state, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, HealthEndpoint) { Content = new StringContent(state) };
        using var response = await http.SendAsync(request, cancellationToken);
    }

    [UpdateVerifier]
    private bool VerifySignature([UntrustedContent] byte[] content, [UntrustedContent] byte[] signature) =>
        publisherKey.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
}
