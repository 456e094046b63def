using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Verification;

/// <summary>Every attack the TUF specification names (§1.5.2), each in a repository built to carry it.</summary>
public class AttackTests
{
    private const string Target = "targets/content/channel-291.bin";

    [Fact]
    public void ArbitraryInstallation_ChangedContent_IsHashMismatch()
    {
        using var sim = new RepositorySimulator();
        byte[] evil = "records: 21 fields each"u8.ToArray();
        File.WriteAllBytes(sim.PathOf(Target), evil);
        string listed = RepositorySimulator.Sha256("records: 20 fields each"u8.ToArray());
        Assert.Equal(new[] { $"SBDU015 {Target}: sha256 {RepositorySimulator.Sha256(evil)}, listed as {listed}" }, sim.Problems());
    }

    [Fact]
    public void EndlessData_LongerTarget_IsRejectedBeforeReading()
    {
        using var sim = new RepositorySimulator();
        using (var stream = File.OpenWrite(sim.PathOf(Target)))
        {
            stream.SetLength(64L << 20);
        }

        Assert.Equal(new[] { $"SBDU014 {Target}: {64L << 20} bytes, listed as 23; not read" }, sim.Problems());
    }

    [Fact]
    public void EndlessData_LongerSnapshot_IsRejectedBeforeReading()
    {
        using var sim = new RepositorySimulator();
        long listed = new FileInfo(sim.PathOf("metadata/snapshot.json")).Length;
        File.AppendAllText(sim.PathOf("metadata/snapshot.json"), new string(' ', 1000));
        Assert.Equal(new[] { $"SBDU011 metadata/snapshot.json: {listed + 1000} bytes, listed as {listed}; not read" }, sim.Problems());
    }

    [Fact]
    public void ShorterTarget_IsLengthMismatch()
    {
        using var sim = new RepositorySimulator();
        File.WriteAllBytes(sim.PathOf(Target), "short"u8.ToArray());
        Assert.Equal(new[] { $"SBDU014 {Target}: 5 bytes, listed as 23" }, sim.Problems());
    }

    [Fact]
    public void ExtraneousContent_UnlistedFile_IsReported()
    {
        using var sim = new RepositorySimulator();
        File.WriteAllText(sim.PathOf("targets/content/channel-292.bin"), "x");
        Assert.Equal(new[] { "SBDU016 targets/content/channel-292.bin: listed by no trusted role" }, sim.Problems());
        Assert.Empty(sim.Problems(new VerifierOptions { RejectUnlistedFiles = false }));
    }

    [Fact]
    public void ExtraneousContent_DirectoryLink_IsReportedNotFollowed()
    {
        using var sim = new RepositorySimulator();
        Directory.CreateSymbolicLink(sim.PathOf("targets/loop"), sim.PathOf("targets"));
        Assert.Equal(new[] { "SBDU016 targets/loop: listed by no trusted role" }, sim.Problems());
    }

    [Fact]
    public async Task EndlessData_FifoInTargets_IsNeverOpened()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no FIFOs in the Windows file system
        }

        // Opening a FIFO blocks until a writer comes: the check must not open it at all. Listed as empty, it reads as the
        // empty target it is listed as; listed with content, its length (0) does not match and it is not read.
        Assert.Empty(await ProblemsWithFifo(Array.Empty<byte>()));
        Assert.Equal(new[] { "SBDU014 targets/content/rules.bin: 0 bytes, listed as 5" }, await ProblemsWithFifo("rules"u8.ToArray()));
    }

    private static async Task<string[]> ProblemsWithFifo(byte[] listed)
    {
        using var sim = new RepositorySimulator();
        sim.AddTarget("targets", "content/rules.bin", listed);
        sim.Publish();
        File.Delete(sim.PathOf("targets/content/rules.bin"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", sim.PathOf("targets/content/rules.bin")))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Task<string[]> verify = Task.Run(() => sim.Problems());
        Assert.True(await Task.WhenAny(verify, Task.Delay(TimeSpan.FromSeconds(20))) == verify, "verification hung on a FIFO");
        return await verify;
    }

    [Fact]
    public void ListedTarget_Missing_IsReported()
    {
        using var sim = new RepositorySimulator();
        File.Delete(sim.PathOf(Target));
        Assert.Equal(new[] { $"SBDU013 {Target}: listed by 'targets' but not found" }, sim.Problems());
    }

    [Fact]
    public void WrongSoftware_TargetOutsideTheRolesPaths_IsUntrusted()
    {
        using var sim = new RepositorySimulator();
        sim.Delegate("targets", "rules", new[] { "rules/*" });
        sim.AddTarget("rules", "agent/agent.exe", "MZ"u8.ToArray());
        sim.Publish();
        Assert.Equal(new[] { "SBDU017 target 'agent/agent.exe': listed by 'rules', which no delegation trusted for this path reaches" }, sim.Problems());
    }

    [Fact]
    public void MaliciousMirror_MetadataAlteredAfterSigning_IsUnsigned()
    {
        using var sim = new RepositorySimulator();
        string file = sim.PathOf("metadata/timestamp.json");
        string text = File.ReadAllText(file);
        Assert.Contains("\"version\":1}", text, StringComparison.Ordinal);
        File.WriteAllText(file, text.Replace("\"version\":1}", "\"version\":9}", StringComparison.Ordinal));
        Assert.Equal(new[] { "SBDU030 metadata/timestamp.json: 0 valid signature(s) from distinct root-listed keys of role 'timestamp', threshold is 1" }, sim.Problems());
    }

    [Fact]
    public void MaliciousMirror_SignedByAnUntrustedKey_IsUnsigned()
    {
        using var sim = new RepositorySimulator();
        sim.Signers["snapshot"] = new List<KeySigner> { Ed25519KeySigner.Generate() };
        sim.Publish();
        Assert.Equal(new[] { "SBDU030 metadata/snapshot.json: 0 valid signature(s) from distinct root-listed keys of role 'snapshot', threshold is 1" }, sim.Problems());
    }

    [Fact]
    public void MixAndMatch_SnapshotVersionOtherThanTimestampLists_IsBadVersion()
    {
        using var sim = new RepositorySimulator();
        sim.EditSigned["timestamp"] = signed => ((JsonObject)((JsonObject)signed.Members["meta"]).Members["snapshot.json"]).Remove("hashes");
        sim.EditSigned["snapshot"] = signed => signed.Set("version", new JsonInteger(2));
        sim.SnapshotListsHashes = true;
        sim.Publish();
        Assert.Equal(new[] { "SBDU007 metadata/snapshot.json: version 2, timestamp lists version 1" }, sim.Problems());
    }

    [Fact]
    public void MixAndMatch_SnapshotFromAnotherRelease_IsHashMismatch()
    {
        using var sim = new RepositorySimulator();
        byte[] old = File.ReadAllBytes(sim.PathOf("metadata/snapshot.json"));
        sim.AddTarget("targets", "content/new.bin", new byte[] { 1 });
        sim.Versions["targets"] = 2;
        sim.SnapshotVersion = 2;
        sim.TimestampVersion = 2;
        sim.Publish();
        byte[] current = File.ReadAllBytes(sim.PathOf("metadata/snapshot.json"));
        File.WriteAllBytes(sim.PathOf("metadata/snapshot.json"), old);
        string expected = old.Length == current.Length
            ? $"SBDU012 metadata/snapshot.json: sha256 {RepositorySimulator.Sha256(old)}, listed as {RepositorySimulator.Sha256(current)}"
            : $"SBDU011 metadata/snapshot.json: {old.Length} bytes, listed as {current.Length}";
        Assert.Equal(new[] { expected }, sim.Problems());
    }

    [Fact]
    public void MixAndMatch_TargetsVersionOtherThanSnapshotLists_IsBadVersion()
    {
        using var sim = new RepositorySimulator { SnapshotListsHashes = false };
        sim.EditSigned["targets"] = signed => signed.Set("version", new JsonInteger(3));
        sim.Publish();
        Assert.Equal(new[] { "SBDU007 metadata/targets.json: version 3, snapshot lists version 1" }, sim.Problems());
    }

    // tuf-conformance test_duplicate_sig_keyids: a key id is unique in "signatures" (spec §4.2), even when the
    // repeated signature is valid and the threshold is met; such metadata is invalid, not merely counted once.
    [Fact]
    public void DuplicateSigKeyids_AreInvalidMetadata()
    {
        using var sim = new RepositorySimulator();
        string keyId = sim.Signers["snapshot"][0].PublicKey.Id;
        sim.EditSignatures["snapshot"] = signatures => signatures.Add(signatures[0]);
        sim.Publish();
        Assert.Equal(new[] { $"SBDU004 metadata/snapshot.json: $.signatures[1] repeats key id {keyId}" }, sim.Problems());
    }

    [Fact]
    public void Threshold_OneKeyListedUnderTwoIds_CountsOnce()
    {
        using var sim = new RepositorySimulator();
        Key key = sim.Signers["snapshot"][0].PublicKey;
        JsonObject alias = key.ToJson().Set("keyid_hash_algorithms", new JsonArray(new JsonValue[] { new JsonString("sha256") }));
        string aliasId = Key.ComputeKeyId(alias);
        Assert.NotEqual(key.Id, aliasId);
        sim.EditSigned["root"] = signed =>
        {
            ((JsonObject)signed.Members["keys"]).Set(aliasId, alias);
            var snapshot = (JsonObject)((JsonObject)signed.Members["roles"]).Members["snapshot"];
            snapshot.Set("keyids", new JsonArray(new JsonValue[] { new JsonString(key.Id), new JsonString(aliasId) })).Set("threshold", new JsonInteger(2));
        };
        sim.PublishRoot();
        sim.TrustedRoot = File.ReadAllBytes(sim.PathOf("metadata/1.root.json"));
        sim.EditSignatures["snapshot"] = signatures => signatures.Add(new JsonObject()
            .Set("keyid", new JsonString(aliasId))
            .Set("sig", ((JsonObject)signatures[0]).Members["sig"]));
        sim.Publish();
        Assert.Equal(new[] { "SBDU006 metadata/snapshot.json: 1 valid signature(s) from distinct root-listed keys of role 'snapshot', threshold is 2" }, sim.Problems());
    }

    [Fact]
    public void Threshold_MetWithDistinctKeys_Verifies()
    {
        using var sim = new RepositorySimulator();
        sim.Thresholds["snapshot"] = 2;
        sim.Signers["snapshot"].Add(EcdsaKeySigner.Generate());
        sim.PublishRoot();
        sim.TrustedRoot = File.ReadAllBytes(sim.PathOf("metadata/1.root.json"));
        sim.Publish();
        Assert.Empty(sim.Problems());
    }
}
