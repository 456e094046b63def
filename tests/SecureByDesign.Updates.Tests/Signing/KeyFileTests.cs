using System.Text;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Updates.Tests.Signing;

public class KeyFileTests
{
    [Theory]
    [InlineData("ed25519")]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    public void WriteThenRead_GivesTheSameKey_ThatSigns(string kind)
    {
        using KeySigner original = kind switch
        {
            "ecdsa" => EcdsaKeySigner.Generate(),
            "rsa" => RsaPssKeySigner.Generate(2048),
            _ => Ed25519KeySigner.Generate(),
        };
        string text = KeyFile.Write(original);
        using KeySigner read = KeyFile.Read(Encoding.UTF8.GetBytes(text), "k.json");
        Assert.Equal(original.PublicKey.Id, read.PublicKey.Id);
        byte[] data = "signed"u8.ToArray();
        Assert.True(SignatureVerifier.Verify(original.PublicKey, data, read.Sign(data).Sig));
    }

    [Fact]
    public void PublicNotMatchingPrivate_IsRejected()
    {
        using var a = Ed25519KeySigner.Generate();
        using var b = Ed25519KeySigner.Generate();
        string text = KeyFile.Write(a).Replace(a.PublicKey.Public!, b.PublicKey.Public!, StringComparison.Ordinal);
        UpdateException e = Assert.ThrowsAny<UpdateException>(() => KeyFile.Read(Encoding.UTF8.GetBytes(text), "k.json"));
        Assert.Equal("k.json: $.keyval.public is not the public half of keyval.private", e.Message);
    }

    [Fact]
    public void GarbagePrivateKey_IsRejected()
    {
        using var a = EcdsaKeySigner.Generate();
        string text = KeyFile.Write(a);
        int start = text.IndexOf("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal) + 29; // past the escaped newline
        text = text[..start] + "AAAA" + text[(start + 4)..];
        Assert.Equal(ProblemCodes.InvalidMetadata, Assert.ThrowsAny<UpdateException>(() => KeyFile.Read(Encoding.UTF8.GetBytes(text), "k.json")).Code);
    }
}
