using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Tests.Crypto;

/// <summary>
/// Key and signature encodings the specification allows besides the ones the library writes (tuf-conformance
/// test_keytype_and_scheme): ECDSA keys as the hex of the uncompressed point, RSA-PSS with any salt length.
/// </summary>
public class KeyFormatTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("{\"_type\":\"timestamp\"}");

    private static Key EcdsaHexKey(EcdsaKeySigner signer, string keyType = "ecdsa")
    {
        ECParameters p = signer.ExportPrivate();
        string hex = "04" + Convert.ToHexString(p.Q.X!).ToLowerInvariant() + Convert.ToHexString(p.Q.Y!).ToLowerInvariant();
        return new Key(keyType, KeySchemes.EcdsaP256, new JsonObject().Set("public", new JsonString(hex)));
    }

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("ecdsa-sha2-nistp256")]
    public void EcdsaKey_AsHexUncompressedPoint_Verifies(string keyType)
    {
        using var signer = EcdsaKeySigner.Generate();
        Key hexKey = EcdsaHexKey(signer, keyType);
        string sig = signer.Sign(Data).Sig;
        Assert.True(SignatureVerifier.Verify(hexKey, Data, sig));
        Assert.False(SignatureVerifier.Verify(hexKey, Encoding.UTF8.GetBytes("{}"), sig));
    }

    [Fact]
    public void EcdsaKey_HexAndPemOfOnePoint_AreOneKey()
    {
        using var signer = EcdsaKeySigner.Generate();
        Assert.Equal(PublicKeyEncoding.Identity(signer.PublicKey), PublicKeyEncoding.Identity(EcdsaHexKey(signer)));
    }

    [Fact]
    public void EcdsaKey_HexCompressedOrOffCurve_IsRejected()
    {
        using var signer = EcdsaKeySigner.Generate();
        string sig = signer.Sign(Data).Sig;
        string uncompressed = EcdsaHexKey(signer).Public!;
        string compressed = ((Convert.FromHexString(uncompressed[^2..])[0] & 1) == 0 ? "02" : "03") + uncompressed[2..66];
        // The last byte of y with its lowest bit flipped: never the key's own y (the old form rewrote a nibble to a fixed
        // digit, which one key in sixteen already had, and then tested the real key).
        byte lastOfY = Convert.FromHexString(uncompressed[^2..])[0];
        string offCurve = uncompressed[..^2] + Convert.ToHexString(new[] { (byte)(lastOfY ^ 1) }).ToLowerInvariant();
        foreach (string text in new[] { compressed, offCurve, uncompressed[..^2] })
        {
            var key = new Key("ecdsa", KeySchemes.EcdsaP256, new JsonObject().Set("public", new JsonString(text)));
            Assert.False(SignatureVerifier.Verify(key, Data, sig), text);
            Assert.Null(PublicKeyEncoding.Identity(key));
        }
    }

    private static (Key Key, RsaKeyParameters Private) RsaKey()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 2048));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        var key = new Key("rsa", KeySchemes.RsaPssSha256, new JsonObject().Set("public", new JsonString(PublicKeyEncoding.EncodePem(pair.Public))));
        return (key, (RsaKeyParameters)pair.Private);
    }

    private static string PssSign(RsaKeyParameters privateKey, int saltLength)
    {
        var signer = new PssSigner(new RsaBlindedEngine(), new Sha256Digest(), saltLength);
        signer.Init(true, new ParametersWithRandom(privateKey, new SecureRandom()));
        signer.BlockUpdate(Data, 0, Data.Length);
        return Convert.ToHexString(signer.GenerateSignature()).ToLowerInvariant();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(222)] // the largest a 2048-bit key allows with SHA-256 (PSS.MAX_LENGTH)
    public void RsaPss_AnySaltLength_Verifies(int saltLength)
    {
        (Key key, RsaKeyParameters privateKey) = RsaKey();
        string sig = PssSign(privateKey, saltLength);
        Assert.True(SignatureVerifier.Verify(key, Data, sig));
        Assert.False(SignatureVerifier.Verify(key, Encoding.UTF8.GetBytes("{}"), sig));
    }

    [Fact]
    public void RsaPkcs1v15Signature_UnderAPssKey_IsRejected()
    {
        (Key key, RsaKeyParameters privateKey) = RsaKey();
        var signer = new RsaDigestSigner(new Sha256Digest());
        signer.Init(true, privateKey);
        signer.BlockUpdate(Data, 0, Data.Length);
        Assert.False(SignatureVerifier.Verify(key, Data, Convert.ToHexString(signer.GenerateSignature())));
    }

    [Fact]
    public void RsaPkcs1v15Scheme_IsNotSupported()
    {
        (Key key, _) = RsaKey();
        var pkcs1 = new Key("rsa", "rsa-pkcs1v15-sha256", key.KeyValue);
        Assert.False(KeySchemes.IsSupported(pkcs1.KeyType, pkcs1.Scheme));
    }
}
