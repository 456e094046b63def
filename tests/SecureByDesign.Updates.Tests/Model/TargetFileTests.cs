using System.Security.Cryptography;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Tests.Model;

public class TargetFileTests
{
    private static readonly byte[] Content = "channel 291, 21 fields"u8.ToArray();

    private static TargetFile Listing(byte[] listed, params (string Name, byte[] Digest)[] hashes) =>
        new("content/channel-291.bin", listed.LongLength, hashes.ToDictionary(h => h.Name, h => Convert.ToHexString(h.Digest).ToLowerInvariant()));

    [Fact]
    public void Verify_AcceptsTheListedBytes_WithEveryHash()
    {
        var target = Listing(Content, ("sha256", SHA256.HashData(Content)), ("sha512", SHA512.HashData(Content)));

        Assert.True(target.Verify(Content));
    }

    [Fact]
    public void Verify_RejectsOtherBytes_LongerOrShorter_AndAnyWrongHash()
    {
        var target = Listing(Content, ("sha256", SHA256.HashData(Content)), ("sha512", SHA512.HashData(Content)));
        var tampered = (byte[])Content.Clone();
        tampered[^1] ^= 1;

        Assert.False(target.Verify(tampered));
        Assert.False(target.Verify([.. Content, 0]));
        Assert.False(target.Verify(Content[..^1]));

        var oneWrong = Listing(Content, ("sha256", SHA256.HashData(Content)), ("sha512", SHA512.HashData(tampered)));
        Assert.False(oneWrong.Verify(Content));
    }

    [Fact]
    public void Verify_RejectsUnsupportedAlgorithmsAndEmptyHashes()
    {
        Assert.False(Listing(Content, ("md5", MD5.HashData(Content))).Verify(Content));
        Assert.False(Listing(Content).Verify(Content));
    }
}
