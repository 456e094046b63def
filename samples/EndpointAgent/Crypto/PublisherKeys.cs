using System.Security.Cryptography;

namespace EndpointAgent.Crypto;

/// <summary>The keys the agent signs and verifies with.</summary>
public static class PublisherKeys
{
    // The update publisher's public key: public by design, embedding it is how the agent pins it. No finding.
    private const string UpdatePublisherPem =
        "-----BEGIN PUBLIC KEY-----\n" +
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0example0public0key0placeholder\n" +
        "-----END PUBLIC KEY-----\n";

    // A development signing key someone committed to sign test content (a truncated placeholder here, not a real key).
    private const string DevSigningKeyPem =
        "-----BEGIN PRIVATE KEY-----\n" + // Expected: SBD3007 (a PEM private key in source)
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCplaceholder\n" +
        "-----END PRIVATE KEY-----\n";

    // The same key as base64 DER, as another tool wanted it.
    private const string DevSigningKeyDer = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCplaceholder";

    public static RSA UpdatePublisher()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(UpdatePublisherPem);
        return rsa;
    }

    /// <summary>Signs content for the test lab.</summary>
    public static byte[] SignForLab(byte[] content)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(DevSigningKeyPem);
        return rsa.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    /// <summary>The DER copy of the same key.</summary>
    public static RSA DevSigningKey()
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(DevSigningKeyDer), out _); // Expected: SBD3007 (private key imported from a constant)
        return rsa;
    }

    /// <summary>The production signing key comes from a protected file at run time: no finding.</summary>
    public static RSA FromProtectedFile(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }
}
