using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Interop;

/// <summary>Interoperability with tuf-js (npm), both ways: it reads what we write, we read what it writes.</summary>
public class TufJsInteropTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "ed25519", false },
        { "ed25519", true },
        { "ecdsa", true },
        { "rsa", false },
    };

    private static Func<KeySigner> Maker(string kind) => kind switch
    {
        "ecdsa" => EcdsaKeySigner.Generate,
        "rsa" => () => RsaPssKeySigner.Generate(2048),
        _ => Ed25519KeySigner.Generate,
    };

    // tuf-js checks expiry against the wall clock, so what it reads must expire relative to it, not to the simulator's fixed time.
    private static RepositorySimulator InteropRepository(bool consistent = false, Func<KeySigner>? makeKey = null) =>
        new(consistent, makeKey, RepositorySimulator.RealNow());

    [Fact]
    public void InteropRepositories_ExpireAYearFromTheRealClock()
    {
        using RepositorySimulator sim = InteropRepository();
        byte[] bytes = File.ReadAllBytes(sim.PathOf("metadata/timestamp.json"));
        var timestamp = SecureByDesign.Updates.Model.MetadataReader.ReadTimestamp(bytes, "timestamp.json", 1 << 20);
        Assert.True(timestamp.Signed.Expires >= DateTimeOffset.UtcNow.AddDays(364), $"expires {timestamp.Signed.Expires:O}");
        Assert.Empty(sim.Problems());
    }

    private static (int ExitCode, string Output) TufJsClient(RepositorySimulator sim, params string[] targets) =>
        TufJsClient(sim.Directory, sim.TrustedRoot, targets);

    private static (int ExitCode, string Output) TufJsClient(string directory, byte[] trustedRoot, params string[] targets)
    {
        string trusted = Path.Combine(directory, "..", Path.GetFileName(directory) + "-client");
        Directory.CreateDirectory(trusted);
        try
        {
            File.WriteAllBytes(Path.Combine(trusted, "trusted-root.json"), trustedRoot);
            return Node.Run("client.mjs", directory, Path.Combine(trusted, "trusted-root.json"), Path.Combine(trusted, "work"), string.Join(",", targets));
        }
        finally
        {
            Directory.Delete(trusted, true);
        }
    }

    [NodeTheory]
    [MemberData(nameof(Cases))]
    public void TufJs_VerifiesOurRepository(string keys, bool consistent)
    {
        using RepositorySimulator sim = InteropRepository(consistent, Maker(keys));
        sim.Delegate("targets", "rules", new[] { "rules/*" });
        sim.AddTarget("rules", "rules/base.json", "{\"fields\":20}"u8.ToArray());
        sim.ExtraRootSigners.AddRange(sim.Signers["root"]);
        sim.Signers["root"] = new List<KeySigner> { Maker(keys)() };
        sim.RootVersion = 2;
        sim.PublishRoot();
        sim.Publish();
        Assert.Empty(sim.Problems());
        (int exit, string output) = TufJsClient(sim, "content/channel-291.bin", "rules/base.json");
        Assert.True(exit == 0, output);
        Assert.Equal("ok content/channel-291.bin\nok rules/base.json\n", output);
    }

    [NodeTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void TufJs_VerifiesWhatRepositoryEditorSigns(bool consistent)
    {
        string directory = Path.Combine(Path.GetTempPath(), "sbd-editor-" + Guid.NewGuid().ToString("N"));
        using var root = Ed25519KeySigner.Generate();
        using var online = EcdsaKeySigner.Generate();
        using var targets = RsaPssKeySigner.Generate(2048);
        try
        {
            var editor = new SecureByDesign.Updates.Signing.RepositoryEditor(directory, DateTimeOffset.UtcNow);
            editor.Init(new Dictionary<string, KeySigner> { ["root"] = root, ["timestamp"] = online, ["snapshot"] = online, ["targets"] = targets }, consistent);
            editor.AddTarget("content/channel-291.bin", "records: 20 fields each"u8.ToArray());
            editor.Sign("targets", targets);
            editor.Sign("snapshot", online);
            editor.Sign("timestamp", online);
            byte[] trusted = File.ReadAllBytes(Path.Combine(directory, "metadata", "1.root.json"));
            Assert.Empty(RepositoryVerifier.Verify(trusted, directory, DateTimeOffset.UtcNow).Problems);
            (int exit, string output) = TufJsClient(directory, trusted, "content/channel-291.bin");
            Assert.True(exit == 0, output);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, true);
            }
        }
    }

    // TAP 15 both ways through the editor: hash bins written by RepositoryEditor, read by tuf-js's succinct_roles.
    [NodeFact]
    public void TufJs_FollowsHashBinsWrittenByRepositoryEditor()
    {
        string directory = Path.Combine(Path.GetTempPath(), "sbd-bins-" + Guid.NewGuid().ToString("N"));
        using var root = Ed25519KeySigner.Generate();
        using var online = Ed25519KeySigner.Generate();
        using var bins = EcdsaKeySigner.Generate();
        try
        {
            var editor = new SecureByDesign.Updates.Signing.RepositoryEditor(directory, DateTimeOffset.UtcNow);
            editor.Init(new Dictionary<string, KeySigner> { ["root"] = root, ["timestamp"] = online, ["snapshot"] = online, ["targets"] = online }, consistentSnapshot: true);
            editor.DelegateHashBins("targets", new SecureByDesign.Updates.Model.SuccinctRoles(new[] { bins.PublicKey.Id }, 1, 3, "bin"), new[] { bins.PublicKey });
            var sources = Enumerable.Range(0, 5).Select(i => SecureByDesign.Updates.Signing.TargetSource.FromBytes($"data/{i}.bin", new byte[i + 1], null));
            editor.AddTargets(sources, "bin");
            editor.Sign("bin", bins);
            editor.Sign("targets", online);
            editor.Sign("snapshot", online);
            editor.Sign("timestamp", online);
            byte[] trusted = File.ReadAllBytes(Path.Combine(directory, "metadata", "1.root.json"));
            VerificationResult result = RepositoryVerifier.Verify(trusted, directory, DateTimeOffset.UtcNow);
            Assert.Empty(result.Problems);
            Assert.StartsWith("bin-", result.Targets["data/3.bin"].Role, StringComparison.Ordinal);
            (int exit, string output) = TufJsClient(directory, trusted, "data/0.bin", "data/3.bin");
            Assert.True(exit == 0, output);
            Assert.Equal("ok data/0.bin\nok data/3.bin\n", output);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, true);
            }
        }
    }

    [NodeFact]
    public void TufJs_RejectsWhatWeReject()
    {
        using RepositorySimulator sim = InteropRepository();
        File.WriteAllBytes(sim.PathOf("targets/content/channel-291.bin"), "records: 21 fields each"u8.ToArray());
        Assert.Equal("SBDU015", Assert.Single(sim.Verify().Problems).Code);
        (int exit, string output) = TufJsClient(sim, "content/channel-291.bin");
        Assert.Equal(1, exit);
        Assert.StartsWith("error content/channel-291.bin:", output, StringComparison.Ordinal);
    }

    [NodeTheory]
    [MemberData(nameof(Cases))]
    public void We_VerifyTufJsRepository(string keys, bool consistent)
    {
        string directory = Path.Combine(Path.GetTempPath(), "sbd-tufjs-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int exit, string output) = Node.Run("make-repo.mjs", directory, keys, consistent ? "true" : "false", "2027-01-01T00:00:00Z");
            Assert.True(exit == 0, output);
            byte[] trusted = File.ReadAllBytes(Path.Combine(directory, "trusted-root.json"));
            File.Delete(Path.Combine(directory, "trusted-root.json"));
            VerificationResult result = RepositoryVerifier.Verify(trusted, directory, RepositorySimulator.Now);
            Assert.Empty(result.Problems);
            Assert.Equal("targets", result.Targets["data/hello.txt"].Role);
            Assert.Equal("deleg", result.Targets["deleg/rules.json"].Role);

            File.WriteAllText(Path.Combine(directory, "metadata", "timestamp.json"), File.ReadAllText(Path.Combine(directory, "metadata", "timestamp.json")).Replace("\"version\": 1,", "\"version\": 2,", StringComparison.Ordinal));
            Assert.Equal("SBDU030", Assert.Single(RepositoryVerifier.Verify(trusted, directory, RepositorySimulator.Now).Problems).Code);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, true);
            }
        }
    }
}
