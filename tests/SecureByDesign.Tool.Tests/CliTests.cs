using SecureByDesign.Tool;

namespace SecureByDesign.Tool.Tests;

/// <summary>The sbd verbs end to end, in a temp folder: what a release pipeline runs, with its exit codes.</summary>
public sealed partial class CliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbd-cli-" + Guid.NewGuid().ToString("N"));

    public CliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private (int Exit, string Output, string Error) Sbd(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Cli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private void Ok(params string[] args)
    {
        (int exit, string output, string error) = Sbd(args);
        Assert.True(exit == 0, $"sbd {string.Join(' ', args)} exited {exit}: {output}{error}");
    }

    private void Release(bool consistent, string rootType = "ed25519", string onlineType = "ecdsa", string targetsType = "rsa")
    {
        Ok("keygen", "--type", rootType, "--out", P("root.key"));
        Ok("keygen", "--type", onlineType, "--out", P("online.key"));
        Ok("keygen", "--type", targetsType, "--out", P("targets.key"));
        var init = new List<string> { "init", "--repo", P("repo"), "--root-key", P("root.key"), "--timestamp-key", P("online.key"), "--snapshot-key", P("online.key"), "--targets-key", P("targets.key") };
        if (consistent)
        {
            init.Add("--consistent-snapshot");
        }

        Ok(init.ToArray());
        File.WriteAllText(P("channel-291.bin"), "records: 20 fields each");
        Ok("add-target", "--repo", P("repo"), "--file", P("channel-291.bin"), "--path", "content/channel-291.bin", "--custom", "{\"rollout\":{\"ring\":\"canary\"}}");
        SignTopLevel();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Release_ThenVerify_ExitsZero(bool consistent)
    {
        Release(consistent);
        (int exit, string output, _) = Sbd("verify", "--root", P("repo/metadata/1.root.json"), "--repo", P("repo"), "--min-validity-days", "7");
        Assert.Equal(0, exit);
        Assert.Equal("verified: root version 1, 1 target(s)\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_TamperedRepository_ExitsOne_WithOneLinePerProblem()
    {
        Release(consistent: false);
        File.WriteAllText(P("repo/targets/content/channel-291.bin"), "records: 21 fields each");
        File.WriteAllText(P("repo/targets/content/extra.bin"), "x");
        (int exit, string output, _) = Sbd("verify", "--root", P("repo/metadata/1.root.json"), "--repo", P("repo"));
        Assert.Equal(1, exit);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("SBDU015 targets/content/channel-291.bin: sha256 ", lines[0], StringComparison.Ordinal);
        Assert.Equal("SBDU016 targets/content/extra.bin: listed by no trusted role", lines[1]);
    }

    [Fact]
    public void Verify_AddedButUnsigned_ExitsOne()
    {
        Release(consistent: false);
        File.WriteAllText(P("next.bin"), "new");
        Ok("add-target", "--repo", P("repo"), "--file", P("next.bin"));
        (int exit, string output, _) = Sbd("verify", "--root", P("repo/metadata/1.root.json"), "--repo", P("repo"));
        Assert.Equal(1, exit);
        Assert.Contains("SBDU0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTarget_Dir_AddsEveryFileInOneVersion()
    {
        Release(consistent: true);
        Directory.CreateDirectory(P("drop/sub"));
        File.WriteAllText(P("drop/a.bin"), "a");
        File.WriteAllText(P("drop/sub/b.bin"), "bb");
        (int exit, string output, _) = Sbd("add-target", "--repo", P("repo"), "--dir", P("drop"), "--prefix", "channels/");
        Assert.Equal(0, exit);
        Assert.EndsWith("2 target(s) added; sign targets, snapshot and timestamp next\n", output.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(File.Exists(P("repo/metadata/3.targets.json")));
        Assert.False(File.Exists(P("repo/metadata/4.targets.json")));
        SignTopLevel();
        (exit, output, _) = Sbd("verify", "--root", P("repo/metadata/1.root.json"), "--repo", P("repo"));
        Assert.Equal("verified: root version 1, 3 target(s)\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("add-target", "--repo", "x")]
    [InlineData("add-target", "--repo", "x", "--file", "f", "--dir", "d")]
    [InlineData("verify", "--repo", "x")]
    [InlineData("frobnicate")]
    [InlineData("sign", "--repo", "x", "--role", "targets")]
    [InlineData("rotate", "--repo", "x", "--role", "mirror")]
    [InlineData("keygen", "--type", "dsa", "--out", "k")]
    public void Usage_Errors_ExitTwo(params string[] args)
    {
        (int exit, _, string error) = Sbd(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("usage: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MissingTrustedRoot_ExitsTwo()
    {
        (int exit, _, string error) = Sbd("verify", "--root", P("none.json"), "--repo", _dir);
        Assert.Equal(2, exit);
        Assert.Equal("usage: none.json: trusted root not found\n", error.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Keygen_NeverOverwrites()
    {
        Ok("keygen", "--out", P("k.key"));
        string before = File.ReadAllText(P("k.key"));
        Assert.Equal(1, Sbd("keygen", "--out", P("k.key")).Exit);
        Assert.Equal(before, File.ReadAllText(P("k.key")));
    }

    [Fact]
    public void Keygen_KeyFile_IsReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no Unix mode; the file inherits the folder's ACL.
        }

        Ok("keygen", "--out", P("k.key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(P("k.key")));
    }

    [Fact]
    public void ConformanceInit_WithAMissingRootFile_ExitsOneWithOneLine()
    {
        (int exit, string output, string error) = Sbd("--metadata-dir", P("client/metadata"), "init", P("missing/root.json"));
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void UnexpectedException_IsOneErrorLine_AndExitCodeOne()
    {
        var error = new StringWriter();
        int exit = Cli.Guard(error, () => throw new InvalidOperationException("something broke"));
        Assert.Equal(1, exit);
        Assert.Equal("error: something broke (InvalidOperationException)\n", error.ToString().Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Sign_WithAKeyOfAnotherRole_ExitsOne()
    {
        Release(consistent: false);
        (int exit, _, string error) = Sbd("sign", "--repo", P("repo"), "--role", "snapshot", "--key", P("targets.key"));
        Assert.Equal(1, exit);
        Assert.StartsWith("SBDU006 metadata/1.root.json: key ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_OverAnExistingRepository_ExitsOne()
    {
        Release(consistent: false);
        (int exit, _, string error) = Sbd("init", "--repo", P("repo"), "--root-key", P("root.key"), "--timestamp-key", P("online.key"), "--snapshot-key", P("online.key"), "--targets-key", P("targets.key"));
        Assert.Equal(1, exit);
        Assert.Equal("SBDU004 metadata/: already has files; sbd init starts a new repository only\n", error.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void ConformanceClient_InitRefreshDownload_AgainstAServedRepository()
    {
        Release(consistent: true);
        using var server = new FolderServer(P("repo"));
        string metadata = P("client/metadata");
        Ok("--metadata-dir", metadata, "init", P("repo/metadata/1.root.json"));
        Ok("--metadata-dir", metadata, "--metadata-url", server.BaseUrl + "metadata", "refresh");
        Assert.Equal(new[] { "root.json", "snapshot.json", "targets.json", "timestamp.json" }, Directory.GetFiles(metadata).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        string[] download = { "--metadata-dir", metadata, "--metadata-url", server.BaseUrl + "metadata", "--target-name", "content/channel-291.bin", "--target-base-url", server.BaseUrl + "targets", "--target-dir", P("client/targets"), "download" };
        Ok(download);
        Assert.Equal("records: 20 fields each", File.ReadAllText(P("client/targets/content%2Fchannel-291.bin")));

        // Served content changes under the same listing: the cached, verified copy is kept; a fresh download fails.
        string served = Directory.GetFiles(P("repo/targets/content")).Single();
        File.WriteAllText(served, "records: 21 fields each");
        Ok(download);
        File.Delete(P("client/targets/content%2Fchannel-291.bin"));
        (int exit, _, string error) = Sbd(download);
        Assert.Equal(1, exit);
        Assert.StartsWith("SBDU015 ", error, StringComparison.Ordinal);

        (exit, _, error) = Sbd("--metadata-dir", metadata, "--metadata-url", server.BaseUrl + "metadata", "--target-name", "none.bin", "--target-base-url", server.BaseUrl + "targets", "--target-dir", P("client/targets"), "download");
        Assert.Equal(1, exit);
        Assert.Equal("SBDU024 target 'none.bin': listed by no trusted role\n", error.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_RolloutAndSchemaPolicy()
    {
        Release(consistent: false);
        string[] verify = { "verify", "--root", P("repo/metadata/1.root.json"), "--repo", P("repo"), "--require-rollout", "--schema", "channel=20" };
        Ok(verify);

        // The next release sends the same content to everyone, and declares 21 fields per record.
        CopyDirectory(P("repo/metadata"), P("previous/metadata"));
        Ok("add-target", "--repo", P("repo"), "--file", P("channel-291.bin"), "--path", "content/channel-291.bin",
            "--custom", "{\"rollout\":{\"ring\":\"broad\"},\"schema\":{\"name\":\"channel\",\"version\":3,\"fields\":21}}");
        SignTopLevel();
        (int exit, string output, _) = Sbd(verify.Concat(new[] { "--previous", P("previous") }).ToArray());
        Assert.Equal(1, exit);
        Assert.Equal(
            "SBDU026 target 'content/channel-291.bin' (schema 'channel' v3): 21 fields per record, but the parser given by --schema channel=20 reads 20\n"
            + "SBDU028 target 'content/channel-291.bin': moves from ring 'canary' to 'broad' without shipping in 'early'\n",
            output.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(2, Sbd("verify", "--root", P("repo/metadata/1.root.json"), "--repo", P("repo"), "--schema", "channel").Exit);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
