using System.IO.Compression;
using System.Security.Cryptography;
using SecureByDesign;

namespace EndpointAgent.Updates;

/// <summary>
/// Installs sensor plug-ins: archives of assemblies published next to the content. Written before the plug-in
/// channel was signed, and patched since; each patch left a way around the check.
/// </summary>
public sealed class SensorPluginInstaller(HttpClient http, RSA publisherKey)
{
    private static readonly Uri Plugins = new("https://cdn.example-vendor.com/agent/plugins/");

    /// <summary>The first version: the hash comes from the same server as the archive, so it proves nothing.</summary>
    public async Task InstallAsync(string name, string pluginDirectory, CancellationToken cancellationToken)
    {
        var archive = await http.GetByteArrayAsync(new Uri(Plugins, name + ".zip"), cancellationToken);
        var expected = await http.GetByteArrayAsync(new Uri(Plugins, name + ".zip.sha1"), cancellationToken);
        using var sha1 = SHA1.Create();
        var actual = sha1.ComputeHash(archive); // Expected: SBD3004 (SHA-1 over a download)
        if (!CryptographicOperations.FixedTimeEquals(actual, expected)) // Expected: SBD3004 (the expected hash came from the same server)
        {
            throw new InvalidDataException($"Plug-in {name} is corrupt.");
        }

        var staged = Path.Combine(Path.GetTempPath(), name + ".zip");
        await File.WriteAllBytesAsync(staged, archive, cancellationToken); // Expected: SBD3001 (a hash is not a signature)
        ZipFile.ExtractToDirectory(staged, pluginDirectory, overwriteFiles: true); // Expected: SBD3001
    }

    /// <summary>The second version: signed, but the result of the check is thrown away and a failure is swallowed.</summary>
    public async Task InstallSignedAsync(string name, string pluginDirectory, CancellationToken cancellationToken)
    {
        var archive = await http.GetByteArrayAsync(new Uri(Plugins, name + ".zip"), cancellationToken);
        var signature = await http.GetByteArrayAsync(new Uri(Plugins, name + ".zip.sig"), cancellationToken);
        try
        {
            publisherKey.VerifyData(archive, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss); // Expected: SBD3002
        }
        catch (CryptographicException) // Expected: SBD3005
        {
            Console.Error.WriteLine($"Plug-in {name}: signature could not be checked.");
        }

        using var stream = new MemoryStream(archive);
        using var zip = new ZipArchive(stream);
        zip.ExtractToDirectory(pluginDirectory, overwriteFiles: true); // Expected: SBD3001
    }

    /// <summary>The fixed version: verified with the key the agent ships with, rejected on failure. No finding.</summary>
    public async Task InstallVerifiedAsync(string name, string pluginDirectory, CancellationToken cancellationToken)
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
