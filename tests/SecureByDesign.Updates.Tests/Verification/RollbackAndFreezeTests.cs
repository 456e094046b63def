using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Verification;

/// <summary>Rollback, fast-forward and freeze attacks (spec §1.5.2), and the release policy on expiry.</summary>
public class RollbackAndFreezeTests
{
    [Fact]
    public void Rollback_TimestampOlderThanPreviousRelease_IsRejected()
    {
        using var sim = new RepositorySimulator();
        using var previous = new RepositorySimulator();
        sim.CopyMetadataTo(previous.Directory);
        sim.TimestampVersion = 1;
        SetVersions(previous.Directory, sim, timestamp: 5);
        Assert.Equal(
            new[] { "SBDU008 metadata/timestamp.json: version 1, older than the trusted version 5" },
            sim.Problems(new VerifierOptions { PreviousReleaseDirectory = previous.Directory }));
    }

    [Fact]
    public void EqualVersion_WithOtherContent_IsRejected_ForTimestampSnapshotAndTargets()
    {
        using var sim = new RepositorySimulator();
        using var previous = new RepositorySimulator();
        sim.SnapshotListsHashes = false;
        sim.Publish();
        sim.CopyMetadataTo(previous.Directory);
        var options = new VerifierOptions { PreviousReleaseDirectory = previous.Directory };
        Assert.Empty(sim.Problems(options));

        sim.Expires["timestamp"] = sim.Expires["timestamp"].AddDays(1);
        sim.Publish();
        Assert.Equal(new[] { "SBDU007 metadata/timestamp.json: version 1 with other content than the trusted version 1; changed metadata needs a higher version" }, sim.Problems(options));

        sim.TimestampVersion = 2;
        sim.Expires["snapshot"] = sim.Expires["snapshot"].AddDays(1);
        sim.Publish();
        Assert.Equal(new[] { "SBDU007 metadata/snapshot.json: version 1 with other content than the trusted version 1; changed metadata needs a higher version" }, sim.Problems(options));

        sim.SnapshotVersion = 2;
        sim.AddTarget("targets", "content/channel-292.bin", "more"u8.ToArray());
        sim.Publish();
        Assert.Equal(
            new[] { "SBDU007 metadata/targets.json: version 1 with other content than the trusted version 1; changed metadata needs a higher version" },
            sim.Problems(options));

        sim.Versions["targets"] = 2;
        sim.Publish();
        Assert.Empty(sim.Problems(options));
    }

    [Fact]
    public void Rollback_TargetsOlderThanPreviousRelease_IsRejected()
    {
        using var sim = new RepositorySimulator();
        string previous = Path.Combine(sim.Directory, "..", Path.GetFileName(sim.Directory) + "-previous");
        sim.Versions["targets"] = 7;
        sim.Publish();
        sim.CopyMetadataTo(previous);
        try
        {
            sim.Versions["targets"] = 6;
            sim.SnapshotVersion = 2;
            sim.TimestampVersion = 2;
            sim.Publish();
            Assert.Equal(
                new[] { "SBDU008 metadata/snapshot.json: lists targets.json version 6, older than the trusted version 7" },
                sim.Problems(new VerifierOptions { PreviousReleaseDirectory = previous }));
        }
        finally
        {
            Directory.Delete(previous, true);
        }
    }

    [Fact]
    public void FastForward_RecoveredByRotatingTimestampAndSnapshotKeys()
    {
        // An attacker who held the timestamp key published version 1000; the repository rotates the key in
        // root v2 and starts again at 2: the previous release's timestamp version no longer applies (spec §5.3.11).
        using var sim = new RepositorySimulator();
        string previous = Path.Combine(sim.Directory, "..", Path.GetFileName(sim.Directory) + "-previous");
        sim.TimestampVersion = 1000;
        sim.Publish();
        sim.CopyMetadataTo(previous);
        try
        {
            sim.TimestampVersion = 2;
            sim.Publish();
            var options = new VerifierOptions { PreviousReleaseDirectory = previous };
            Assert.Equal(new[] { "SBDU008 metadata/timestamp.json: version 2, older than the trusted version 1000" }, sim.Problems(options));

            sim.ExtraRootSigners.AddRange(sim.Signers["root"]);
            sim.Signers["timestamp"] = new List<KeySigner> { Ed25519KeySigner.Generate() };
            sim.RootVersion = 2;
            sim.PublishRoot();
            sim.Publish();
            Assert.Empty(sim.Problems(options));
        }
        finally
        {
            Directory.Delete(previous, true);
        }
    }

    [Fact]
    public void IndefiniteFreeze_ExpiredTimestamp_IsRejected()
    {
        using var sim = new RepositorySimulator();
        sim.Expires["timestamp"] = RepositorySimulator.Now.AddSeconds(-1);
        sim.Publish();
        Assert.Equal(new[] { "SBDU009 metadata/timestamp.json: expired at 2026-06-01T11:59:59Z, it is now 2026-06-01T12:00:00Z" }, sim.Problems());
    }

    [Fact]
    public void IndefiniteFreeze_ExpiryAtTheReferenceTime_IsExpired()
    {
        using var sim = new RepositorySimulator();
        Assert.Equal("SBDU009", sim.Verify(now: sim.Expires["timestamp"]).Problems[0].Code);
    }

    [Fact]
    public void ReleasePolicy_ExpiringWithinMinimumValidity_IsReported()
    {
        using var sim = new RepositorySimulator();
        sim.Expires["snapshot"] = RepositorySimulator.Now.AddDays(3);
        sim.Publish();
        Assert.Equal(
            new[] { "SBDU010 metadata/snapshot.json: expires at 2026-06-04T12:00:00Z, within the minimum validity of 7 days" },
            sim.Problems(new VerifierOptions { MinimumValidity = TimeSpan.FromDays(7) }));
    }

    private static void SetVersions(string directory, RepositorySimulator signerSource, long timestamp)
    {
        // The previous release is read for its versions only; rewrite its timestamp with a higher version.
        string file = Path.Combine(directory, "metadata", "timestamp.json");
        var envelope = (JsonObject)StrictJsonReader.Parse(File.ReadAllBytes(file), "t", 1 << 20);
        ((JsonObject)envelope.Members["signed"]).Set("version", new JsonInteger(timestamp));
        File.WriteAllBytes(file, JsonText.Serialize(envelope));
        _ = signerSource;
    }
}
