using System.Text.Json;
using System.Text.Json.Nodes;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Verification;

public class RepositoryVerifierTests
{
    public static TheoryData<string> KeyKinds => new() { "ed25519", "ecdsa", "rsa" };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Valid_Repository_Verifies(bool consistent)
    {
        using var sim = new RepositorySimulator(consistent);
        VerificationResult result = sim.Verify();
        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
        Assert.Equal(1, result.RootVersion);
        Assert.Equal("targets", result.Targets["content/channel-291.bin"].Role);
    }

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public void Valid_Repository_SignedWithEachKeyType_Verifies(string kind)
    {
        Func<KeySigner> make = kind switch
        {
            "ecdsa" => EcdsaKeySigner.Generate,
            "rsa" => () => RsaPssKeySigner.Generate(2048),
            _ => Ed25519KeySigner.Generate,
        };
        using var sim = new RepositorySimulator(makeKey: make);
        Assert.Empty(sim.Problems());
    }

    [Fact]
    public void Valid_Repository_WithDelegations_Verifies()
    {
        using var sim = new RepositorySimulator(consistentSnapshot: true);
        sim.Delegate("targets", "rules", new[] { "rules/*" });
        sim.Delegate("rules", "rules-canary", new[] { "rules/canary-*" });
        sim.AddTarget("rules", "rules/base.json", "{}"u8.ToArray());
        sim.AddTarget("rules-canary", "rules/canary-1.json", "[]"u8.ToArray());
        sim.Publish();
        VerificationResult result = sim.Verify();
        Assert.Empty(result.Problems);
        Assert.Equal("rules", result.Targets["rules/base.json"].Role);
        Assert.Equal("rules-canary", result.Targets["rules/canary-1.json"].Role);
    }

    [Fact]
    public void Valid_Repository_WithoutSnapshotHashes_Verifies()
    {
        using var sim = new RepositorySimulator { SnapshotListsHashes = false };
        sim.SnapshotVersion++;
        sim.TimestampVersion++;
        sim.Publish();
        Assert.Empty(sim.Problems());
    }

    [Fact]
    public void NonCanonicalFormatting_OfSignedMetadata_StillVerifies()
    {
        // Signatures cover the canonical form of "signed", not the file's bytes: indented files with other key
        // orders (what python-tuf writes by default) verify. Timestamp is re-written; snapshot's hash is of snapshot only.
        using var sim = new RepositorySimulator();
        string file = sim.PathOf("metadata/timestamp.json");
        JsonNode node = JsonNode.Parse(File.ReadAllBytes(file))!;
        File.WriteAllText(file, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Assert.Empty(sim.Problems());
    }

    [Fact]
    public void MissingRepository_IsOneProblem_NotAnException()
    {
        using var sim = new RepositorySimulator();
        VerificationResult result = RepositoryVerifier.Verify(sim.TrustedRoot, Path.Combine(sim.Directory, "nowhere"), RepositorySimulator.Now);
        Assert.Equal("SBDU001 metadata/timestamp.json: not found", Assert.Single(result.Problems).ToString());
    }

    [Fact]
    public void TrustedRoot_NotSelfSigned_IsRejected()
    {
        using var sim = new RepositorySimulator();
        using var other = new RepositorySimulator();
        sim.TrustedRoot = other.TrustedRoot;
        other.Signers["root"][0].Dispose();
        other.Signers["root"] = new List<KeySigner> { Ed25519KeySigner.Generate() };
        other.ExtraRootSigners.Clear();
        other.EditSigned["root"] = _ => { };
        other.PublishRoot();
        // The trusted root of "other" does not trust sim's keys: root.json is not it, and every role fails at timestamp.
        Assert.Equal(new[] { "SBDU029 metadata/root.json: not identical to the trusted root (version 1), the newest verified root", "SBDU030 metadata/timestamp.json: 0 valid signature(s) from distinct root-listed keys of role 'timestamp', threshold is 1" }, sim.Problems());
    }
}
