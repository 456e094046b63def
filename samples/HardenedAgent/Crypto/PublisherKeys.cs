using System.Security.Cryptography;

namespace EndpointAgent.Crypto;

/// <summary>The keys the agent signs and verifies with.</summary>
public static class PublisherKeys
{
    // The update publisher's public key: public by design, embedding it is how the agent pins it.
    private const string UpdatePublisherPem =
        "-----BEGIN PUBLIC KEY-----\n" +
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0example0public0key0placeholder\n" +
        "-----END PUBLIC KEY-----\n";

    public static RSA UpdatePublisher()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(UpdatePublisherPem);
        return rsa;
    }

    /// <summary>Signs content for the test lab, with the lab's key from a protected file: no private key in source.</summary>
    public static byte[] SignForLab(byte[] content, string labKeyPath)
    {
        using var rsa = FromProtectedFile(labKeyPath);
        return rsa.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    /// <summary>Signing keys come from a protected file at run time.</summary>
    public static RSA FromProtectedFile(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }
}
