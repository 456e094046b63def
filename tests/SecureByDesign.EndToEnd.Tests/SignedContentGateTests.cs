using System.Text.RegularExpressions;
using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>
/// The signed-content gate in real builds of a project on the packed SDK: valid content passes once and is then
/// skipped; each kind of bad content or setting fails with its own code and the file it is about. One project is
/// built once and shared; each case points it at content of its own with -p, so a case costs one no-compile build.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class SignedContentGateTests(PackedPackages packages, ITestOutputHelper log)
{
    private const string Canary = """{"rollout":{"ring":"canary"},"schema":{"name":"channel","fields":20}}""";

    private const string Parser = """
        namespace Agent
        {
            public static class ChannelFile
            {
                [SecureByDesign.ContentParser(Schema = "channel", Fields = 20)]
                public static string[] Parse(string line) => line.Split(',');
            }
        }

        namespace SecureByDesign
        {
            // The vendor's own copy: the gate matches the attribute by its simple name.
            [System.AttributeUsage(System.AttributeTargets.Method)]
            internal sealed class ContentParserAttribute : System.Attribute
            {
                public string? Schema { get; set; }

                public int Fields { get; set; }
            }
        }
        """;

    private static readonly Regex GateError = new(@"^\s*(?<file>.+?) : error (?<code>SBD[57]\d{3}): ", RegexOptions.Multiline, TimeSpan.FromSeconds(5));
    private static readonly object SharedLock = new();
    private static Shared? shared;

    public static TheoryData<string, string, string> Failures => new()
    {
        { "tampered", "SBD5008", "content/targets/channel-291.bin" },
        { "missing-signature", "SBD5017", "content/metadata/timestamp.json" },
        { "threshold-not-met", "SBD5003", "content/metadata/timestamp.json" },
        { "expired", "SBD5006", "content/metadata/timestamp.json" },
        { "expires-soon", "SBD5007", "content/metadata/timestamp.json" },
        { "rolled-back", "SBD5005", "content/metadata/timestamp.json" },
        { "unlisted", "SBD5010", "content/targets/extra.bin" },
        { "listed-missing", "SBD5009", "content/targets/channel-291.bin" },
        { "skipped-ring", "SBD5016", "content/metadata/targets.json" },
        { "schema-one-field-more", "SBD5014", "content/metadata/targets.json" },
        { "metadata-missing", "SBD5001", "content/metadata/timestamp.json" },
        { "metadata-malformed", "SBD5002", "content/metadata/timestamp.json" },
        { "mix-and-match", "SBD5004", "content/metadata/snapshot.json" },
        { "schema-malformed", "SBD5013", "content/metadata/targets.json" },
        { "rollout-undeclared", "SBD5015", "content/metadata/targets.json" },
        { "trusted-root-missing", "SBD7001", "trusted/none.json" },
        { "content-root-missing", "SBD7002", "nowhere" },
        { "bad-property", "SBD7003", "content" },
        { "released-missing", "SBD7004", "released-nowhere" },
        { "tool-missing", "SBD7007", "tool/sbd.dll" },
    };

    [Fact]
    public void Build_ValidContent_PassesOnce_ThenSkipsUntilContentChanges()
    {
        var (workspace, repository) = Open();
        var content = repository.CopyContent(Path.Combine(repository.Directory, "cases", "incremental-" + Guid.NewGuid().ToString("N")[..6]));
        string[] properties = [$"-p:SecureByDesignContentRoot={content}", $"-p:SecureByDesignTrustedRoot={repository.TrustedRoot}"];

        var first = workspace.Build("App", [.. properties, "--no-restore"]);
        Assert.True(first.Succeeded, first.Describe());
        Assert.Contains("SecureByDesign signed content: verified: root version 1, 1 target(s), 1 parser schema(s) checked", first.Output);

        var second = workspace.Build("App", [.. properties, "--no-restore", "-v:n"]);
        Assert.True(second.Succeeded, second.Describe());
        Assert.Contains("Skipping target \"SecureByDesignVerifyContent\" because all output files are up-to-date", second.Output);
        Assert.DoesNotContain("verified: root version", second.Output);

        // A deleted file is no newer than the stamp; the gate must still see it.
        File.Delete(Path.Combine(content, "targets", "channel-291.bin"));
        var third = workspace.Build("App", [.. properties, "--no-restore"]);
        Assert.False(third.Succeeded, third.Describe());
        Assert.Contains(Errors(third), e => e.Code == "SBD5009");
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Build_BadContentOrSetting_FailsWithItsCodeAndFile(string name, string code, string file)
    {
        var (workspace, repository) = Open();
        var caseDirectory = Path.Combine(repository.Directory, "cases", name + "-" + Guid.NewGuid().ToString("N")[..6]);
        var properties = Prepare(name, repository, caseDirectory);

        var build = workspace.Build("App", [.. properties.Select(p => $"-p:{p.Key}={p.Value}"), "--no-restore"]);

        Assert.False(build.Succeeded, build.Describe());
        var errors = Errors(build);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(code, e.Code));
        var expected = Path.Combine(caseDirectory, file.Replace('/', Path.DirectorySeparatorChar)).TrimEnd(Path.DirectorySeparatorChar);
        Assert.Contains(errors, e => e.File.TrimEnd(Path.DirectorySeparatorChar) == expected);
    }

    private static Dictionary<string, string> Prepare(string name, ContentRepository repository, string directory)
    {
        var content = Path.Combine(directory, "content");
        var properties = new Dictionary<string, string>
        {
            ["SecureByDesignContentRoot"] = content,
            ["SecureByDesignTrustedRoot"] = repository.TrustedRoot,
        };
        switch (name)
        {
            case "tampered":
                repository.CopyContent(content);
                File.WriteAllText(Path.Combine(content, "targets", "channel-291.bin"), "a,b,d\n"); // Same length, other bytes.
                break;
            case "missing-signature":
                repository.CopyContent(content);
                ContentRepository.ReplaceTimestampSignatures(content, _ => []);
                break;
            case "threshold-not-met":
                // The timestamp role now needs two keys (root version 2, signed by the root key); only one signs.
                repository.CopyContent(content);
                var secondKey = Path.Combine(directory, "second.key");
                ContentRepository.Sbd("keygen", "--out", secondKey);
                ContentRepository.Sbd("rotate", "--repo", content, "--role", "timestamp", "--add-key", secondKey, "--threshold", "2");
                ContentRepository.Sbd("sign", "--repo", content, "--role", "root", "--key", repository.Key);
                ContentRepository.Sbd("sign", "--repo", content, "--role", "timestamp", "--key", repository.Key);
                break;
            case "expired":
                // Signed 20 days ago: the timestamp (valid 14 days) expired 6 days ago.
                var old = ContentRepository.Create(directory, Canary, DateTimeOffset.UtcNow.AddDays(-20));
                properties["SecureByDesignTrustedRoot"] = old.TrustedRoot;
                break;
            case "expires-soon":
                repository.CopyContent(content);
                properties["SecureByDesignMinimumValidityDays"] = "20"; // The timestamp is valid 14 days.
                break;
            case "rolled-back":
                var pipeline = ContentRepository.Create(Path.Combine(directory, "pipeline"), Canary);
                pipeline.CopyContent(content); // This build's content: version 1 ...
                pipeline.AddTarget("channel-292.bin", "d,e,f\n", Canary); // ... while version 2 was already released.
                properties["SecureByDesignTrustedRoot"] = pipeline.TrustedRoot;
                properties["SecureByDesignReleasedMetadata"] = pipeline.Content;
                break;
            case "unlisted":
                repository.CopyContent(content);
                File.WriteAllText(Path.Combine(content, "targets", "extra.bin"), "not signed");
                break;
            case "listed-missing":
                repository.CopyContent(content);
                File.Delete(Path.Combine(content, "targets", "channel-291.bin"));
                break;
            case "skipped-ring":
                properties["SecureByDesignTrustedRoot"] = ContentRepository.Create(directory, """{"rollout":{"ring":"broad"},"schema":{"name":"channel","fields":20}}""").TrustedRoot;
                break;
            case "schema-one-field-more":
                properties["SecureByDesignTrustedRoot"] = ContentRepository.Create(directory, """{"rollout":{"ring":"canary"},"schema":{"name":"channel","fields":21}}""").TrustedRoot;
                break;
            case "metadata-missing":
                repository.CopyContent(content);
                File.Delete(Path.Combine(content, "metadata", "timestamp.json"));
                break;
            case "metadata-malformed":
                repository.CopyContent(content);
                File.WriteAllText(Path.Combine(content, "metadata", "timestamp.json"), "{\"signed\": ");
                break;
            case "mix-and-match":
                repository.CopyContent(content);
                File.AppendAllText(Path.Combine(content, "metadata", "snapshot.json"), " ");
                break;
            case "schema-malformed":
                properties["SecureByDesignTrustedRoot"] = ContentRepository.Create(directory, """{"rollout":{"ring":"canary"},"schema":{"name":"channel","fields":"twenty"}}""").TrustedRoot;
                break;
            case "rollout-undeclared":
                properties["SecureByDesignTrustedRoot"] = ContentRepository.Create(directory, "{}").TrustedRoot;
                break;
            case "trusted-root-missing":
                repository.CopyContent(content);
                properties["SecureByDesignTrustedRoot"] = Path.Combine(directory, "trusted", "none.json");
                break;
            case "content-root-missing":
                properties["SecureByDesignContentRoot"] = Path.Combine(directory, "nowhere");
                break;
            case "bad-property":
                repository.CopyContent(content);
                properties["SecureByDesignMinimumValidityDays"] = "soon";
                break;
            case "released-missing":
                repository.CopyContent(content);
                properties["SecureByDesignReleasedMetadata"] = Path.Combine(directory, "released-nowhere");
                break;
            case "tool-missing":
                repository.CopyContent(content);
                properties["SecureByDesignToolPath"] = Path.Combine(directory, "tool", "sbd.dll");
                break;
            default:
                throw new ArgumentException(name, nameof(name));
        }

        return properties;
    }

    private static IReadOnlyList<(string File, string Code)> Errors(ProcessResult build) =>
        GateError.Matches(build.Output).Select(m => (m.Groups["file"].Value.Trim(), m.Groups["code"].Value)).Distinct().ToList();

    /// <summary>The shared project, built once with valid content, and the valid repository; this test's log.</summary>
    private (ConsumerWorkspace Workspace, ContentRepository Repository) Open()
    {
        lock (SharedLock)
        {
            if (shared is null || shared.Packages != packages)
            {
                var workspace = ConsumerWorkspace.Create(packages, log, "gate");
                var repository = ContentRepository.Create(Path.Combine(workspace.Root, "repository"), Canary);
                workspace.WriteSdkProject(
                    "App",
                    new Dictionary<string, string>
                    {
                        ["SecureByDesignContentRoot"] = repository.Content,
                        ["SecureByDesignTrustedRoot"] = repository.TrustedRoot,
                    },
                    versionInGlobalJson: true, // The other way to give the version; SdkAnalyzerTests uses the attribute.
                    ("ChannelFile.cs", Parser));
                var build = workspace.Build("App");
                Assert.True(build.Succeeded, build.Describe());
                shared = new Shared(packages, workspace, repository);
            }

            return (shared.Workspace.WithLog(log), shared.Repository);
        }
    }

    private sealed record Shared(PackedPackages Packages, ConsumerWorkspace Workspace, ContentRepository Repository);
}
