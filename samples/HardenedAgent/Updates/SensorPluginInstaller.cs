using System.IO.Compression;
using System.Security.Cryptography;
using SecureByDesign;

namespace EndpointAgent.Updates;

/// <summary>Installs sensor plug-ins: archives of assemblies published next to the content, signed by the publisher.</summary>
public sealed class SensorPluginInstaller(HttpClient http, RSA publisherKey)
{
    private static readonly Uri Plugins = new("https://cdn.example-vendor.com/agent/plugins/");

    /// <summary>Verified with the key the agent ships with, and rejected when the signature does not hold.</summary>
    public async Task InstallAsync(string name, string pluginDirectory, CancellationToken cancellationToken)
    {
        var archive = await http.GetByteArrayAsync(new Uri(Plugins, name + ".zip"), cancellationToken);
        var signature = await http.GetByteArrayAsync(new Uri(Plugins, name + ".zip.sig"), cancellationToken);
        if (!IsSigned(archive, signature))
        {
            throw new InvalidDataException($"Plug-in {name} is not signed by the publisher.");
        }

        var staged = Path.Combine(Path.GetTempPath(), name + ".zip");
        await File.WriteAllBytesAsync(staged, archive, cancellationToken);
        ZipFile.ExtractToDirectory(staged, pluginDirectory, overwriteFiles: true);
    }

    [UpdateVerifier]
    private bool IsSigned(byte[] data, byte[] signature) =>
        publisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
}
