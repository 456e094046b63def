using SecureByDesign.Updates.Tests.Support;

namespace SecureByDesign.Tool.Tests;

/// <summary>
/// What a release pipeline needs beyond one key per role: root rotation, thresholds above 1 reached by several
/// signers, delegations by path and by hash bins (each verb of the tool's README, run as it shows).
/// </summary>
public sealed partial class CliTests
{
    private string[] Verify(string root = "repo/metadata/1.root.json") => new[] { "verify", "--root", P(root), "--repo", P("repo") };

    private void SignTopLevel()
    {
        Ok("sign", "--repo", P("repo"), "--role", "targets", "--key", P("targets.key"));
        Ok("sign", "--repo", P("repo"), "--role", "snapshot", "--key", P("online.key"));
        Ok("sign", "--repo", P("repo"), "--role", "timestamp", "--key", P("online.key"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rotate_RootKey_SignedByTheOldAndTheNewKey_IsFollowedFromTheOldRoot(bool consistent)
    {
        Release(consistent, targetsType: "ed25519");
        Ok("keygen", "--out", P("root2.key"));
        (int exit, string output, _) = Sbd("rotate", "--repo", P("repo"), "--role", "root", "--add-key", P("root2.key"), "--remove-key", P("root.key"));
        Assert.Equal(0, exit);
        Assert.StartsWith("root version 2: role root changed", output, StringComparison.Ordinal);

        Ok("sign", "--repo", P("repo"), "--role", "root", "--key", P("root2.key"));
        (exit, output, _) = Sbd(Verify());
        Assert.Equal(1, exit);
        Assert.StartsWith("SBDU030 metadata/2.root.json: 0 valid signature(s) from distinct version 1 root keys", output, StringComparison.Ordinal);

        Ok("sign", "--repo", P("repo"), "--role", "root", "--key", P("root.key"));
        (exit, output, _) = Sbd(Verify());
        Assert.Equal("verified: root version 2, 1 target(s)\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllBytes(P("repo/metadata/2.root.json")), File.ReadAllBytes(P("repo/metadata/root.json")));
    }

    [Fact]
    public void Rotate_ThresholdAboveTheKeyCount_IsRefused()
    {
        Release(consistent: false, targetsType: "ed25519");
        (int exit, _, string error) = Sbd("rotate", "--repo", P("repo"), "--role", "timestamp", "--threshold", "2");
        Assert.Equal(1, exit);
        Assert.Equal("SBDU004 metadata/1.root.json: role 'timestamp' would have 1 key(s) and threshold 2; a threshold needs as many keys\n", error.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.False(File.Exists(P("repo/metadata/2.root.json")));
    }

    [Fact]
    public void Threshold_TwoSigners_EachAddsASignatureToTheSameVersion()
    {
        Release(consistent: true, targetsType: "ed25519");
        Ok("keygen", "--out", P("targets2.key"));
        Ok("rotate", "--repo", P("repo"), "--role", "targets", "--add-key", P("targets2.key"), "--threshold", "2");
        Ok("sign", "--repo", P("repo"), "--role", "root", "--key", P("root.key"));
        File.WriteAllText(P("next.bin"), "next");
        Ok("add-target", "--repo", P("repo"), "--file", P("next.bin"));
        SignTopLevel();
        (int exit, string output, _) = Sbd(Verify());
        Assert.Equal(1, exit);
        Assert.Contains("1 valid signature(s) from distinct root-listed keys of role 'targets', threshold is 2", output, StringComparison.Ordinal);

        Ok("sign", "--repo", P("repo"), "--role", "targets", "--key", P("targets2.key"));
        Ok("sign", "--repo", P("repo"), "--role", "snapshot", "--key", P("online.key"));
        Ok("sign", "--repo", P("repo"), "--role", "timestamp", "--key", P("online.key"));
        (exit, output, _) = Sbd(Verify());
        Assert.Equal("verified: root version 2, 2 target(s)\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(P("repo/metadata"), "3.targets.json"));
        Assert.Empty(Directory.GetFiles(P("repo/metadata"), "4.targets.json"));
    }

    [Fact]
    public void Delegate_ByPath_TargetsOfTheRoleVerify_AndOthersAreRefused()
    {
        Release(consistent: false, targetsType: "ed25519");
        Ok("keygen", "--out", P("rules.key"));
        Ok("delegate", "--repo", P("repo"), "--role", "rules", "--key", P("rules.key"), "--path", "rules/*", "--terminating");
        File.WriteAllText(P("base.json"), "{}");
        Ok("add-target", "--repo", P("repo"), "--role", "rules", "--file", P("base.json"), "--path", "rules/base.json");
        (int exit, _, string error) = Sbd("add-target", "--repo", P("repo"), "--role", "rules", "--file", P("base.json"), "--path", "content/base.json");
        Assert.Equal(1, exit);
        Assert.Equal("SBDU017 target 'content/base.json': role 'rules' is not trusted for this path\n", error.Replace("\r", string.Empty, StringComparison.Ordinal));

        Ok("sign", "--repo", P("repo"), "--role", "rules", "--key", P("rules.key"));
        SignTopLevel();
        (exit, string output, _) = Sbd(Verify());
        Assert.Equal("verified: root version 1, 2 target(s)\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(0, exit);
        Assert.Equal(1, Sbd("sign", "--repo", P("repo"), "--role", "rules", "--key", P("online.key")).Exit);
    }

    [Fact]
    public void Delegate_HashBins_EachTargetGoesToItsBin_AndTheRepositoryVerifies()
    {
        Release(consistent: true, targetsType: "ed25519");
        Ok("keygen", "--type", "ecdsa", "--out", P("bins.key"));
        (int exit, string output, _) = Sbd("delegate", "--repo", P("repo"), "--role", "bin", "--key", P("bins.key"), "--bins", "3");
        Assert.Equal(0, exit);
        Assert.StartsWith("targets delegates to 8 hash bins bin-0 ... bin-7", output, StringComparison.Ordinal);
        Directory.CreateDirectory(P("drop"));
        for (int i = 0; i < 6; i++)
        {
            File.WriteAllText(P($"drop/{i}.bin"), new string('x', i + 1));
        }

        Ok("add-target", "--repo", P("repo"), "--role", "bin", "--dir", P("drop"), "--prefix", "data/");
        Ok("sign", "--repo", P("repo"), "--role", "bin", "--key", P("bins.key"));
        SignTopLevel();
        (exit, output, _) = Sbd(Verify());
        Assert.Equal("verified: root version 1, 7 target(s)\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(0, exit);
        Assert.Equal(8, Directory.GetFiles(P("repo/metadata"), "*.bin-*.json").Select(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('.') + 1)..]).Distinct().Count());
    }

    [Fact]
    public void Delegate_NeitherOrSeveralKindsOfPaths_OrAPrefixNotHex_IsAUsageError()
    {
        Assert.Equal(2, Sbd("delegate", "--repo", "x", "--role", "r", "--key", "k").Exit);
        Assert.Equal(2, Sbd("delegate", "--repo", "x", "--role", "r", "--key", "k", "--path", "a/*", "--bins", "2").Exit);
        (int exit, _, string error) = Sbd("delegate", "--repo", "x", "--role", "r", "--key", "k", "--hash-prefix", "0G");
        Assert.Equal(2, exit);
        Assert.StartsWith("usage: --hash-prefix '0G' is not lowercase hex", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Delegate_MoreBinsThanVerifyLoads_IsRefused()
    {
        Release(consistent: false, targetsType: "ed25519");
        Ok("keygen", "--out", P("bins.key"));
        (int exit, _, string error) = Sbd("delegate", "--repo", P("repo"), "--role", "bin", "--key", P("bins.key"), "--bins", "11");
        Assert.Equal(1, exit);
        Assert.Equal("SBDU004 11 bits is 2048 bins; the editor creates at most 10 bits\n", error.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(P("repo/metadata"), "bin-*"));
    }

    [Fact]
    public void ConformanceClient_Download_RepeatedTargetNames_InOrder_StoppingAtTheFirstFailure()
    {
        Release(consistent: true, targetsType: "ed25519");
        File.WriteAllText(P("second.bin"), "second");
        Ok("add-target", "--repo", P("repo"), "--file", P("second.bin"), "--path", "content/second.bin");
        SignTopLevel();
        using var server = new FolderServer(P("repo"));
        string metadata = P("client/metadata");
        Ok("--metadata-dir", metadata, "init", P("repo/metadata/1.root.json"));
        string[] Download(params string[] names) => new[] { "--metadata-dir", metadata, "--metadata-url", server.BaseUrl + "metadata" }
            .Concat(names.SelectMany(n => new[] { "--target-name", n }))
            .Concat(new[] { "--target-base-url", server.BaseUrl + "targets", "--target-dir", P("client/targets"), "download" }).ToArray();

        (int exit, string output, _) = Sbd(Download("content/second.bin", "content/channel-291.bin"));
        Assert.Equal(0, exit);
        Assert.Equal("downloaded content/second.bin to content%2Fsecond.bin\ndownloaded content/channel-291.bin to content%2Fchannel-291.bin\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
        Directory.Delete(P("client/targets"), recursive: true);
        (exit, output, _) = Sbd(Download("none.bin", "content/second.bin"));
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.False(Directory.Exists(P("client/targets")) && Directory.EnumerateFiles(P("client/targets")).Any());
    }

    // tuf-conformance test_unusual_role_name, through sbd: written, requested and cached once-encoded.
    [Fact]
    public void ConformanceClient_UnusualRoleName_IsRequestedQuotedOnce()
    {
        Release(consistent: true, targetsType: "ed25519");
        Ok("keygen", "--out", P("odd.key"));
        Ok("delegate", "--repo", P("repo"), "--role", "../odd?", "--key", P("odd.key"), "--path", "*");
        Ok("sign", "--repo", P("repo"), "--role", "../odd?", "--key", P("odd.key"));
        SignTopLevel();
        Assert.True(File.Exists(P("repo/metadata/1...%2Fodd%3F.json")));
        using var server = new FolderServer(P("repo"));
        string metadata = P("client/metadata");
        Ok("--metadata-dir", metadata, "init", P("repo/metadata/1.root.json"));
        (int exit, _, string error) = Sbd("--metadata-dir", metadata, "--metadata-url", server.BaseUrl + "metadata", "--target-name", "none.bin",
            "--target-base-url", server.BaseUrl + "targets", "--target-dir", P("client/targets"), "download");
        Assert.Equal(1, exit);
        Assert.True(error.StartsWith("SBDU024 ", StringComparison.Ordinal), error);
        Assert.Contains("metadata/1...%2Fodd%3F.json", server.Requests);
        Assert.True(File.Exists(Path.Combine(metadata, "..%2Fodd%3F.json")));
    }

    [NodeFact]
    public void TufJs_FollowsARootRotationMadeWithSbd()
    {
        Release(consistent: true, rootType: "ecdsa");
        Ok("keygen", "--type", "rsa", "--out", P("root2.key"));
        Ok("keygen", "--out", P("online2.key"));
        Ok("rotate", "--repo", P("repo"), "--role", "root", "--add-key", P("root2.key"), "--remove-key", P("root.key"));
        Ok("rotate", "--repo", P("repo"), "--role", "timestamp", "--add-key", P("online2.key"), "--remove-key", P("online.key"));
        Ok("sign", "--repo", P("repo"), "--role", "root", "--key", P("root.key"));
        Ok("sign", "--repo", P("repo"), "--role", "root", "--key", P("root2.key"));
        Ok("sign", "--repo", P("repo"), "--role", "timestamp", "--key", P("online2.key"));
        Ok(Verify());
        (int exit, string output) = Node.Run("client.mjs", P("repo"), P("repo/metadata/1.root.json"), P("tufjs"), "content/channel-291.bin");
        Assert.True(exit == 0, output);
        Assert.Equal("ok content/channel-291.bin\n", output);
        Assert.Contains("\"version\": 2", File.ReadAllText(P("tufjs/metadata/root.json")), StringComparison.Ordinal);
    }
}
