using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Verification;

/// <summary>The root chain (spec §5.3): each new root signed by thresholds of the old and the new root keys.</summary>
public class RootRotationTests
{
    private static void RotateRootKey(RepositorySimulator sim, long version)
    {
        sim.ExtraRootSigners.Clear();
        sim.ExtraRootSigners.AddRange(sim.Signers["root"]);
        sim.Signers["root"] = new List<KeySigner> { Ed25519KeySigner.Generate() };
        sim.RootVersion = version;
        sim.PublishRoot();
    }

    [Fact]
    public void Rotation_SignedByOldAndNewKeys_Verifies()
    {
        using var sim = new RepositorySimulator();
        RotateRootKey(sim, 2);
        RotateRootKey(sim, 3);
        VerificationResult result = sim.Verify();
        Assert.Empty(result.Problems);
        Assert.Equal(3, result.RootVersion);
    }

    [Fact]
    public void Rotation_NotSignedByTheOldRootKeys_IsRejected()
    {
        using var sim = new RepositorySimulator();
        string oldKey = sim.Signers["root"][0].PublicKey.Id;
        sim.EditSignatures["root"] = signatures => signatures.RemoveAll(s => ((JsonString)((JsonObject)s).Members["keyid"]).Value == oldKey);
        RotateRootKey(sim, 2);
        Assert.Equal(new[] { "SBDU030 metadata/2.root.json: 0 valid signature(s) from distinct version 1 root keys of role 'root', threshold is 1" }, sim.Problems());
    }

    [Fact]
    public void Rotation_NotSignedByTheNewRootKeys_IsRejected()
    {
        using var sim = new RepositorySimulator();
        string oldKey = sim.Signers["root"][0].PublicKey.Id;
        sim.EditSignatures["root"] = signatures => signatures.RemoveAll(s => ((JsonString)((JsonObject)s).Members["keyid"]).Value != oldKey);
        RotateRootKey(sim, 2);
        Assert.Equal(new[] { "SBDU030 metadata/2.root.json: 0 valid signature(s) from distinct version 2 root keys of role 'root', threshold is 1" }, sim.Problems());
    }

    [Fact]
    public void Rotation_FromThresholdTwo_NeedsTwoOldKeys()
    {
        using var sim = new RepositorySimulator();
        sim.Signers["root"].Add(Ed25519KeySigner.Generate());
        sim.Thresholds["root"] = 2;
        sim.PublishRoot();
        sim.TrustedRoot = File.ReadAllBytes(sim.PathOf("metadata/1.root.json"));
        KeySigner second = sim.Signers["root"][1];
        sim.EditSignatures["root"] = signatures => signatures.RemoveAll(s => ((JsonString)((JsonObject)s).Members["keyid"]).Value == second.PublicKey.Id);
        sim.Thresholds["root"] = 1;
        RotateRootKey(sim, 2);
        Assert.Equal(new[] { "SBDU006 metadata/2.root.json: 1 valid signature(s) from distinct version 1 root keys of role 'root', threshold is 2" }, sim.Problems());
    }

    [Fact]
    public void Rotation_VersionNotTheNextOne_IsBadVersion()
    {
        using var sim = new RepositorySimulator();
        sim.EditSigned["root"] = signed => signed.Set("version", new JsonInteger(3));
        RotateRootKey(sim, 2);
        Assert.Equal(new[] { "SBDU007 metadata/2.root.json: version 3, expected 2" }, sim.Problems());
    }

    [Fact]
    public void Rotation_IntermediateRootExpired_IsFine_FinalRootExpired_IsNot()
    {
        using var sim = new RepositorySimulator();
        sim.Expires["root"] = RepositorySimulator.Now.AddDays(-1);
        RotateRootKey(sim, 2);
        Assert.Equal(new[] { "SBDU009 metadata/2.root.json: expired at 2026-05-31T12:00:00Z, it is now 2026-06-01T12:00:00Z" }, sim.Problems());
        sim.Expires["root"] = RepositorySimulator.Now.AddDays(30);
        RotateRootKey(sim, 3);
        Assert.Empty(sim.Problems());
    }

    [Fact]
    public void Rotation_MoreThanTheMaximum_IsRejected()
    {
        using var sim = new RepositorySimulator();
        RotateRootKey(sim, 2);
        RotateRootKey(sim, 3);
        Assert.Equal(
            new[] { "SBDU019 metadata/3.root.json: more than 1 root versions after the trusted version 1; version 2 is trusted so far" },
            sim.Problems(new VerifierOptions { MaxRootRotations = 1 }));
    }

    [Fact]
    public void StaleRootJson_IsReported()
    {
        using var sim = new RepositorySimulator();
        byte[] v1 = File.ReadAllBytes(sim.PathOf("metadata/root.json"));
        RotateRootKey(sim, 2);
        File.WriteAllBytes(sim.PathOf("metadata/root.json"), v1);
        Assert.Equal(new[] { "SBDU007 metadata/root.json: version 1, but the newest root is version 2" }, sim.Problems());
    }

    [Fact]
    public void ForgedRootJson_SameVersionOtherKeys_IsReported()
    {
        using var sim = new RepositorySimulator();
        using var attacker = new RepositorySimulator();
        File.Copy(attacker.PathOf("metadata/1.root.json"), sim.PathOf("metadata/root.json"), overwrite: true);
        Assert.Equal(new[] { "SBDU029 metadata/root.json: not identical to the trusted root (version 1), the newest verified root" }, sim.Problems());
        RotateRootKey(sim, 2);
        attacker.RootVersion = 2;
        attacker.ExtraRootSigners.AddRange(attacker.Signers["root"]);
        attacker.PublishRoot();
        File.Copy(attacker.PathOf("metadata/2.root.json"), sim.PathOf("metadata/root.json"), overwrite: true);
        Assert.Equal(new[] { "SBDU029 metadata/root.json: not identical to metadata/2.root.json, the newest verified root" }, sim.Problems());
    }

    [Fact]
    public void RootJson_ReformattedNewestRoot_IsReported()
    {
        using var sim = new RepositorySimulator();
        File.AppendAllText(sim.PathOf("metadata/root.json"), "\n");
        Assert.Equal(new[] { "SBDU029 metadata/root.json: not identical to the trusted root (version 1), the newest verified root" }, sim.Problems());
    }

    [Fact]
    public void TimestampKeyRotation_OldKeyNoLongerCounts()
    {
        using var sim = new RepositorySimulator();
        KeySigner oldTimestamp = sim.Signers["timestamp"][0];
        sim.Signers["timestamp"] = new List<KeySigner> { EcdsaKeySigner.Generate() };
        sim.ExtraRootSigners.AddRange(sim.Signers["root"]);
        sim.RootVersion = 2;
        sim.PublishRoot();
        sim.Publish();
        Assert.Empty(sim.Problems());

        sim.Signers["timestamp"].Insert(0, oldTimestamp);
        sim.EditSignatures["timestamp"] = signatures => signatures.RemoveAt(1);
        sim.Publish();
        Assert.Equal(new[] { "SBDU030 metadata/timestamp.json: 0 valid signature(s) from distinct root-listed keys of role 'timestamp', threshold is 1" }, sim.Problems());
    }

    [Fact]
    public void Rollback_RootOlderThanPreviousRelease_IsRejected()
    {
        using var sim = new RepositorySimulator();
        using var previous = new RepositorySimulator();
        previous.ExtraRootSigners.AddRange(previous.Signers["root"]);
        previous.RootVersion = 2;
        previous.PublishRoot();
        Assert.Equal(
            new[] { "SBDU008 trusted root: newest root is version 1, older than the trusted version 2" },
            sim.Problems(new VerifierOptions { PreviousReleaseDirectory = previous.Directory }));
    }
}
