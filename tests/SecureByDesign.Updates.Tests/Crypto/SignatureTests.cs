using System.Text;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Tests.Crypto;

public class SignatureTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("{\"_type\":\"root\"}");

    public static TheoryData<string> Schemes => new() { "ed25519", "ecdsa", "rsa" };

    private static KeySigner Make(string scheme) => scheme switch
    {
        "ed25519" => Ed25519KeySigner.Generate(),
        "ecdsa" => EcdsaKeySigner.Generate(),
        _ => RsaPssKeySigner.Generate(2048),
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void SignThenVerify_Succeeds_AndAnyChangeFails(string scheme)
    {
        using KeySigner signer = Make(scheme);
        Signature signature = signer.Sign(Data);
        Assert.Equal(signer.PublicKey.Id, signature.KeyId);
        Assert.True(SignatureVerifier.Verify(signer.PublicKey, Data, signature.Sig));

        byte[] changed = (byte[])Data.Clone();
        changed[3] ^= 1;
        Assert.False(SignatureVerifier.Verify(signer.PublicKey, changed, signature.Sig));
        char[] sig = signature.Sig.ToCharArray();
        sig[sig.Length / 2] = sig[sig.Length / 2] == '0' ? '1' : '0';
        Assert.False(SignatureVerifier.Verify(signer.PublicKey, Data, new string(sig)));
        using KeySigner other = Make(scheme);
        Assert.False(SignatureVerifier.Verify(other.PublicKey, Data, signature.Sig));
    }

    [Theory]
    [InlineData("")]
    [InlineData("zz")]
    [InlineData("abc")]
    [InlineData("3006020101020101")]
    public void GarbageSignatures_AreInvalid_NotExceptions(string sig)
    {
        using var ecdsa = EcdsaKeySigner.Generate();
        using var ed = Ed25519KeySigner.Generate();
        Assert.False(SignatureVerifier.Verify(ecdsa.PublicKey, Data, sig));
        Assert.False(SignatureVerifier.Verify(ed.PublicKey, Data, sig));
    }

    [Theory]
    [InlineData("ed25519", "ed25519", "not hex")]
    [InlineData("ecdsa", "ecdsa-sha2-nistp256", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    [InlineData("rsa", "rsassa-pss-sha256", "garbage")]
    [InlineData("dsa", "dsa-sha1", "x")]
    public void GarbageKeys_AreInvalid_NotExceptions(string keyType, string scheme, string publicValue)
    {
        var key = new Key(keyType, scheme, new JsonObject().Set("public", new JsonString(publicValue)));
        Assert.False(SignatureVerifier.Verify(key, Data, new string('0', 128)));
    }

    [Fact]
    public void Ecdsa_SignatureIsStrictDer_AndP1363IsRefused()
    {
        using var signer = EcdsaKeySigner.Generate();
        Signature signature = signer.Sign(Data);
        Assert.StartsWith("30", signature.Sig, StringComparison.Ordinal);
        byte[] p1363 = SignatureVerifier.DerToP1363(Convert.FromHexString(signature.Sig))!;
        Assert.False(SignatureVerifier.Verify(signer.PublicKey, Data, Convert.ToHexString(p1363)));
        // A DER signature with a trailing byte is not strict DER.
        Assert.False(SignatureVerifier.Verify(signer.PublicKey, Data, signature.Sig + "00"));
    }

    [Fact]
    public void Ecdsa_KeyTypeEcdsaSha2Nistp256_IsAcceptedToo()
    {
        using var signer = EcdsaKeySigner.Generate();
        var key = new Key("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", signer.PublicKey.KeyValue);
        Assert.True(SignatureVerifier.Verify(key, Data, signer.Sign(Data).Sig));
    }

    [Fact]
    public void Rsa_SmallModulus_IsRefused()
    {
        using var signer = RsaPssKeySigner.Generate(1024);
        Assert.False(SignatureVerifier.Verify(signer.PublicKey, Data, signer.Sign(Data).Sig));
    }

    [Fact]
    public void PublicKeys_AreInTufFormat()
    {
        using var ed = Ed25519KeySigner.Generate();
        using var ec = EcdsaKeySigner.Generate();
        Assert.Matches("^[0-9a-f]{64}$", ed.PublicKey.Public!);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", ec.PublicKey.Public!, StringComparison.Ordinal);
        Assert.EndsWith("-----END PUBLIC KEY-----\n", ec.PublicKey.Public!, StringComparison.Ordinal);
        Assert.Equal("ecdsa", ec.PublicKey.KeyType);
        Assert.Equal("ecdsa-sha2-nistp256", ec.PublicKey.Scheme);
    }

    [Fact]
    public void KeyId_IsSha256OfCanonicalKeyJson()
    {
        var keyval = new JsonObject().Set("public", new JsonString("ab"));
        string canonical = "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"ab\"},\"scheme\":\"ed25519\"}";
        string expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
        Assert.Equal(expected, Key.ComputeKeyId("ed25519", "ed25519", keyval));
    }
}
