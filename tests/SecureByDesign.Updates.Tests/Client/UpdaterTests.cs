using SecureByDesign.Updates.Client;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Tests.Support;

namespace SecureByDesign.Updates.Tests.Client;

/// <summary>The client workflow over a fetcher (python-tuf's test_updater_*), with a local trusted folder.</summary>
public sealed partial class UpdaterTests : IDisposable
{
    private readonly RepositorySimulator _sim;
    private readonly FolderFetcher _fetcher;
    private readonly string _local = Path.Combine(Path.GetTempPath(), "sbd-client-" + Guid.NewGuid().ToString("N"));

    public UpdaterTests()
    {
        _sim = new RepositorySimulator(consistentSnapshot: true);
        _fetcher = new FolderFetcher(_sim.Directory);
        Directory.CreateDirectory(Path.Combine(_local, "metadata"));
        File.WriteAllBytes(Path.Combine(_local, "metadata", "root.json"), _sim.TrustedRoot);
    }

    public void Dispose()
    {
        _sim.Dispose();
        Directory.Delete(_local, recursive: true);
    }

    private Updater NewUpdater() =>
        new(Path.Combine(_local, "metadata"), FolderFetcher.MetadataUrl, _fetcher, () => RepositorySimulator.Now);

    private string[] LocalFiles() => Directory.GetFiles(Path.Combine(_local, "metadata")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private long LocalVersion(string file) =>
        MetadataReader.ReadTimestamp(File.ReadAllBytes(Path.Combine(_local, "metadata", file)), file, 1 << 20).Signed.Version;

    [Fact]
    public async Task Refresh_PersistsTopLevelMetadata_UnderPlainNames()
    {
        await NewUpdater().RefreshAsync();
        Assert.Equal(new[] { "root.json", "snapshot.json", "targets.json", "timestamp.json" }, LocalFiles());
        Assert.Equal(new[] { "metadata/2.root.json", "metadata/timestamp.json", "metadata/1.snapshot.json", "metadata/1.targets.json" }, _fetcher.Requests);
    }

    [Fact]
    public async Task Refresh_Again_UsesTheLocalSnapshotAndTargets()
    {
        await NewUpdater().RefreshAsync();
        _fetcher.Requests.Clear();
        await NewUpdater().RefreshAsync();
        Assert.Equal(new[] { "metadata/2.root.json", "metadata/timestamp.json" }, _fetcher.Requests);
    }

    [Fact]
    public async Task Refresh_FollowsRootRotation_AndKeepsTheNewRoot()
    {
        _sim.ExtraRootSigners.AddRange(_sim.Signers["root"]);
        _sim.Signers["root"] = new List<KeySigner> { Ed25519KeySigner.Generate() };
        _sim.RootVersion = 2;
        _sim.PublishRoot();
        await NewUpdater().RefreshAsync();
        byte[] local = File.ReadAllBytes(Path.Combine(_local, "metadata", "root.json"));
        Assert.Equal(2, MetadataReader.ReadRoot(local, "root.json", 1 << 20).Signed.Version);
    }

    // python-tuf's test_max_root_rotations, with this library's one behaviour at the limit (Trust.RootChain): the
    // roots verified so far are kept, the refresh fails with SBDU019, and the next refresh goes on from there.
    [Fact]
    public async Task MaxRootRotations_KeepsWhatVerified_FailsWhileANewerRootExists_ThenGoesOn()
    {
        for (int version = 2; version <= 4; version++)
        {
            _sim.ExtraRootSigners.Clear();
            _sim.ExtraRootSigners.AddRange(_sim.Signers["root"]);
            _sim.Signers["root"] = new List<KeySigner> { Ed25519KeySigner.Generate() };
            _sim.RootVersion = version;
            _sim.PublishRoot();
        }

        var limits = new SecureByDesign.Updates.Trust.MetadataLimits { MaxRootRotations = 2 };
        Updater Limited() => new(Path.Combine(_local, "metadata"), FolderFetcher.MetadataUrl, _fetcher, () => RepositorySimulator.Now, limits);
        RepositoryException e = await Assert.ThrowsAsync<RepositoryException>(() => Limited().RefreshAsync());
        Assert.Equal("SBDU019 4.root.json: more than 2 root versions after the trusted version 1; version 3 is trusted so far", e.ToProblem().ToString());
        Assert.Equal(3, MetadataReader.ReadRoot(File.ReadAllBytes(Path.Combine(_local, "metadata", "root.json")), "root.json", 1 << 20).Signed.Version);
        await Limited().RefreshAsync();
        Assert.Equal(4, MetadataReader.ReadRoot(File.ReadAllBytes(Path.Combine(_local, "metadata", "root.json")), "root.json", 1 << 20).Signed.Version);
    }

    [Fact]
    public async Task UpdateTimestamp_RollbackAfterANewerWasTrusted_Fails_AndKeepsTheTrustedOne()
    {
        byte[] v1 = File.ReadAllBytes(_sim.PathOf("metadata/timestamp.json"));
        _sim.TimestampVersion = 2;
        _sim.Publish();
        await NewUpdater().RefreshAsync();
        _fetcher.Overrides["metadata/timestamp.json"] = v1;
        UpdateException e = await Assert.ThrowsAnyAsync<UpdateException>(() => NewUpdater().RefreshAsync());
        Assert.Equal("SBDU008 timestamp.json: version 1, older than the trusted version 2", e.ToProblem().ToString());
        Assert.Equal(2, LocalVersion("timestamp.json"));
    }

    [Fact]
    public async Task UpdateTimestamp_Expired_Fails()
    {
        _sim.Expires["timestamp"] = RepositorySimulator.Now.AddDays(-1);
        _sim.Publish();
        UpdateException e = await Assert.ThrowsAnyAsync<UpdateException>(() => NewUpdater().RefreshAsync());
        Assert.Equal(ProblemCodes.Expired, e.Code);
        Assert.DoesNotContain("timestamp.json", LocalFiles());
    }

    // A client trusts timestamp version 1000 (fast-forwarded); root 2 then rotates the timestamp key and the
    // repository starts over at timestamp version 1.
    private async Task FastForwardThenRotateTimestampKeyAsync()
    {
        _sim.TimestampVersion = 1000;
        _sim.Publish();
        await NewUpdater().RefreshAsync();
        _sim.ExtraRootSigners.AddRange(_sim.Signers["root"]);
        _sim.Signers["timestamp"] = new List<KeySigner> { Ed25519KeySigner.Generate() };
        _sim.RootVersion = 2;
        _sim.PublishRoot();
        _sim.TimestampVersion = 1;
        _sim.Publish();
    }

    [Fact]
    public async Task FastForwardRecovery_NewTimestampKeyResetsTheTimestampVersion()
    {
        await FastForwardThenRotateTimestampKeyAsync();
        await NewUpdater().RefreshAsync();
        Assert.Equal(1, LocalVersion("timestamp.json"));
    }

    [Fact]
    public async Task MissingTimestamp_IsADownloadFailure()
    {
        File.Delete(_sim.PathOf("metadata/timestamp.json"));
        UpdateException e = await Assert.ThrowsAnyAsync<UpdateException>(() => NewUpdater().RefreshAsync());
        Assert.Equal("SBDU023 http://repo.test/metadata/timestamp.json: HTTP 404", e.ToProblem().ToString());
    }

    [Fact]
    public async Task Download_VerifiesThenCaches()
    {
        Updater updater = NewUpdater();
        TargetFile target = (await updater.GetTargetInfoAsync("content/channel-291.bin"))!;
        string file = await updater.DownloadTargetAsync(target, Path.Combine(_local, "targets"), FolderFetcher.TargetsUrl);
        Assert.Equal("records: 20 fields each", File.ReadAllText(file));
        Assert.Equal("content%2Fchannel-291.bin", Path.GetFileName(file));
        string hashed = "targets/content/" + target.Hashes["sha256"] + ".channel-291.bin";
        Assert.Equal(hashed, _fetcher.Requests[^1]);
        _fetcher.Requests.Clear();
        await updater.DownloadTargetAsync(target, Path.Combine(_local, "targets"), FolderFetcher.TargetsUrl);
        Assert.Empty(_fetcher.Requests);
    }

    [Fact]
    public async Task Download_TamperedTarget_FailsAndLeavesNothing()
    {
        Updater updater = NewUpdater();
        TargetFile target = (await updater.GetTargetInfoAsync("content/channel-291.bin"))!;
        _fetcher.Overrides["targets/content/" + target.Hashes["sha256"] + ".channel-291.bin"] = "records: 21 fields each"u8.ToArray();
        UpdateException e = await Assert.ThrowsAnyAsync<UpdateException>(() => updater.DownloadTargetAsync(target, Path.Combine(_local, "targets"), FolderFetcher.TargetsUrl));
        Assert.Equal(ProblemCodes.TargetHashMismatch, e.Code);
        Assert.Empty(Directory.GetFiles(Path.Combine(_local, "targets")));
    }

    [Fact]
    public async Task Download_EndlessData_StopsAtTheListedLength()
    {
        Updater updater = NewUpdater();
        TargetFile target = (await updater.GetTargetInfoAsync("content/channel-291.bin"))!;
        _fetcher.Overrides["targets/content/" + target.Hashes["sha256"] + ".channel-291.bin"] = new byte[10 << 20];
        UpdateException e = await Assert.ThrowsAnyAsync<UpdateException>(() => updater.DownloadTargetAsync(target, Path.Combine(_local, "targets"), FolderFetcher.TargetsUrl));
        Assert.Equal(ProblemCodes.TargetLengthMismatch, e.Code);
        Assert.EndsWith("more than the 23 bytes expected; download stopped", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTargetInfo_FetchesDelegatedRolesOnDemand()
    {
        _sim.Delegate("targets", "rules", new[] { "rules/*" });
        _sim.AddTarget("rules", "rules/base.json", "{}"u8.ToArray());
        _sim.Publish();
        Updater updater = NewUpdater();
        await updater.RefreshAsync();
        Assert.DoesNotContain("metadata/1.rules.json", _fetcher.Requests);
        Assert.Null(await updater.GetTargetInfoAsync("content/none.bin"));
        Assert.DoesNotContain("metadata/1.rules.json", _fetcher.Requests);
        Assert.Equal(2, (await updater.GetTargetInfoAsync("rules/base.json"))!.Length);
        Assert.Contains("metadata/1.rules.json", _fetcher.Requests);
        Assert.Contains("rules.json", LocalFiles());
    }
}
