using System.Security.Cryptography;
using SecureByDesign;

namespace EndpointAgent.Updates;

/// <summary>Downloads the signed content update (signatures, rules) and stages it once verified.</summary>
public sealed class ContentUpdateClient(HttpClient http, RSA publisherKey)
{
    private const int MaxManifestBytes = 1024 * 1024;

    // Every content download goes over https.
    private static readonly Uri ContentDelivery = new("https://cdn.example-vendor.com/agent/content/");

    // The local service that reports the agent's health; loopback never leaves the machine.
    private const string HealthEndpoint = "http://localhost:5290/health";

    public async Task<string?> DownloadAsync(string stagingDirectory, CancellationToken cancellationToken)
    {
        using var manifestResponse = await http.GetAsync(new Uri(ContentDelivery, "manifest.json"), cancellationToken);
        manifestResponse.EnsureSuccessStatusCode();
        var manifestContent = manifestResponse.Content;
        if (manifestContent.Headers.ContentLength is not <= MaxManifestBytes)
        {
            throw new InvalidDataException($"The manifest is larger than {MaxManifestBytes} bytes, or says nothing of its size.");
        }

        var manifest = await manifestContent.ReadAsByteArrayAsync(cancellationToken);
        var manifestSignature = await http.GetByteArrayAsync(new Uri(ContentDelivery, "manifest.json.sig"), cancellationToken);
        var package = await http.GetByteArrayAsync(new Uri(ContentDelivery, "content.pkg"), cancellationToken);
        var signature = await http.GetByteArrayAsync(new Uri(ContentDelivery, "content.pkg.sig"), cancellationToken);
        if (!VerifySignature(package, signature) || !VerifySignature(manifest, manifestSignature))
        {
            return null;
        }

        Directory.CreateDirectory(stagingDirectory);
        var staged = Path.Combine(stagingDirectory, "content.pkg");
        await File.WriteAllBytesAsync(staged, package, cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(stagingDirectory, "manifest.json"), manifest, cancellationToken);
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
