using SecureByDesign.Updates.Client;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Tests.Support;

namespace SecureByDesign.Updates.Tests.Client;

/// <summary>
/// What the TUF conformance suite (tuf-conformance) expects of a client, each test named after the suite's:
/// the suite itself cannot run here, so its expectations live in these tests.
/// </summary>
public sealed partial class UpdaterTests
{
    // test_timestamp_content_changes: the same timestamp version with other content is no update (spec §5.4.3.1).
    [Fact]
    public async Task TimestampContentChanges_TheTrustedTimestampIsKept_WithNoFurtherRequests()
    {
        await NewUpdater().RefreshAsync();
        _sim.EditSigned["timestamp"] = signed => ((JsonObject)((JsonObject)signed.Members["meta"]).Members["snapshot.json"]).Set("version", new JsonInteger(100));
        _sim.Publish();
        _fetcher.Requests.Clear();
        await NewUpdater().RefreshAsync();
        Assert.Equal(new[] { "metadata/2.root.json", "metadata/timestamp.json" }, _fetcher.Requests);
        byte[] local = File.ReadAllBytes(Path.Combine(_local, "metadata", "timestamp.json"));
        Assert.Equal(1, MetadataReader.ReadTimestamp(local, "timestamp.json", 1 << 20).Signed.SnapshotMeta.Version);
    }

    // test_duplicate_sig_keyids: a repeated key id in "signatures" makes the metadata invalid, and it is not kept.
    [Fact]
    public async Task DuplicateSigKeyids_RefreshFails_AndTheSnapshotIsNotKept()
    {
        _sim.EditSignatures["snapshot"] = signatures => signatures.Add(signatures[0]);
        _sim.Publish();
        UpdateException e = await Assert.ThrowsAsync<RepositoryException>(() => NewUpdater().RefreshAsync());
        Assert.Equal(ProblemCodes.InvalidMetadata, e.Code);
        Assert.DoesNotContain("snapshot.json", LocalFiles());
    }

    // test_unusual_role_name: a role name is percent-encoded once in its URL and in the local file name.
    [Theory]
    [InlineData("?", "%3F")]
    [InlineData("#", "%23")]
    [InlineData("/delegatedrole", "%2Fdelegatedrole")]
    [InlineData("../delegatedrole", "..%2Fdelegatedrole")]
    public async Task UnusualRoleName_IsRequestedQuotedOnce_AndStoredInTheMetadataFolder(string role, string quoted)
    {
        _sim.Delegate("targets", role, new[] { "*" });
        _sim.Publish();
        Assert.Null(await NewUpdater().GetTargetInfoAsync("nonexistent target"));
        Assert.Contains($"metadata/1.{quoted}.json", _fetcher.Requests);
        Assert.Equal(new[] { quoted + ".json", "root.json", "snapshot.json", "targets.json", "timestamp.json" }, LocalFiles());
    }

    // test_cached_role_is_verified_against_current_delegator: a role reached through two delegators ("diamond")
    // is verified against each; trusted through A, it is not thereby trusted through B.
    [Fact]
    public async Task CachedRole_IsVerifiedAgainstTheCurrentDelegator()
    {
        _sim.DelegateDiamond();
        Updater updater = NewUpdater();
        Assert.NotNull(await updater.GetTargetInfoAsync("team-a/trusted_root.json"));
        UpdateException e = await Assert.ThrowsAsync<MissingSignatureException>(() => updater.GetTargetInfoAsync("team-b/trusted_root.json"));
        Assert.Equal("SBDU030 release.json: 0 valid signature(s) from distinct 'parent-b'-delegated keys of role 'release', threshold is 1", e.ToProblem().ToString());
    }

    // TAP 15 (python-tuf's test_updater_delegation_graphs, succinct roles): the target's bin is the only role fetched.
    [Fact]
    public async Task SuccinctHashBins_OnlyTheTargetsBinIsFetched()
    {
        _sim.DelegateSuccinct("targets", "bin", bits: 4);
        var bins = new SuccinctRoles(Array.Empty<string>(), 1, 4, "bin");
        string bin = bins.RoleForTarget("rules/base.json");
        _sim.AddTarget(bin, "rules/base.json", "{}"u8.ToArray());
        _sim.Publish();
        Updater updater = NewUpdater();
        Assert.Equal(2, (await updater.GetTargetInfoAsync("rules/base.json"))!.Length);
        Assert.Equal(new[] { $"metadata/1.{bin}.json" }, _fetcher.Requests.Where(r => r.Contains("bin-", StringComparison.Ordinal)));
    }

    // test_new_timestamp_fast_forward_recovery, after a run that saved the rotated root and then failed (here on a
    // broken root 3): the timestamp cached under the old key is no rollback baseline under the new root.
    [Fact]
    public async Task FastForwardRecovery_AfterARunThatSavedTheNewRootAndFailed()
    {
        await FastForwardThenRotateTimestampKeyAsync();
        _sim.RootVersion = 3;
        _sim.EditSignatures["root"] = signatures => signatures.Clear();
        _sim.PublishRoot();
        await Assert.ThrowsAsync<MissingSignatureException>(() => NewUpdater().RefreshAsync());
        Assert.Equal(1000, LocalVersion("timestamp.json"));

        File.Delete(_sim.PathOf("metadata/3.root.json"));
        await NewUpdater().RefreshAsync();
        Assert.Equal(1, LocalVersion("timestamp.json"));
    }
}
