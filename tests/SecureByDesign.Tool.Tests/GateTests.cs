using System.Reflection;
using SecureByDesign.Tool;
using SecureByDesign.Tool.Gate;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Tool.Tests;

/// <summary>
/// What the build gate asks of sbd: <c>verify --format msbuild</c> lines with SBD5xxx/SBD70xx codes and absolute
/// files, parser schemas read from a built assembly without loading it, and a code table with a page per code.
/// </summary>
public sealed partial class GateTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbd-gate-" + Guid.NewGuid().ToString("N"));

    public GateTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void VerifyMsBuild_TamperedTarget_CanonicalErrorWithGateCodeAndAbsoluteFile()
    {
        Release("""{"rollout":{"ring":"canary"}}""");
        File.WriteAllText(Path.Combine(_dir, "repo", "targets", "channel.bin"), "a,b,d\n");

        (int exit, string output) = Sbd("verify", "--root", Root, "--repo", Path.Combine(_dir, "repo"), "--format", "msbuild");

        Assert.Equal(Cli.Problem, exit);
        string line = Assert.Single(Lines(output));
        Assert.StartsWith(Path.Combine(_dir, "repo", "targets", "channel.bin") + ": error SBD5008: targets/channel.bin: sha256 ", line, StringComparison.Ordinal);
        Assert.EndsWith(" (SBDU015)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyMsBuild_SchemaFromAssembly_OneFieldMore_SBD5014()
    {
        Release("""{"rollout":{"ring":"canary"},"schema":{"name":"gate-test","fields":21}}""");

        (int exit, string output) = Sbd("verify", "--root", Root, "--repo", Path.Combine(_dir, "repo"), "--format", "msbuild", "--assembly", SchemaAssembly.Path);

        Assert.Equal(Cli.Problem, exit);
        string line = Assert.Single(Lines(output));
        Assert.Equal(
            $"{Path.Combine(_dir, "repo", "metadata", "targets.json")}: error SBD5014: target 'channel.bin' (schema 'gate-test'): 21 fields per record, but SecureByDesign.Tool.Tests.SchemaAssembly.Parse reads 20 (SBDU026)",
            line);
    }

    [Fact]
    public void VerifyMsBuild_SchemaFromAssembly_SameFieldCount_Verifies()
    {
        Release("""{"rollout":{"ring":"canary"},"schema":{"name":"gate-test","fields":20}}""");

        (int exit, string output) = Sbd("verify", "--root", Root, "--repo", Path.Combine(_dir, "repo"), "--format", "msbuild", "--assembly", SchemaAssembly.Path);

        Assert.Equal(Cli.Ok, exit);
        Assert.Equal("verified: root version 1, 1 target(s), 1 parser schema(s) checked", Assert.Single(Lines(output)));
    }

    [Fact]
    public void VerifyMsBuild_MissingTrustedRoot_SBD7001_ExitsTwo()
    {
        string root = Path.Combine(_dir, "none.json");

        (int exit, string output) = Sbd("verify", "--root", root, "--repo", _dir, "--format", "msbuild");

        Assert.Equal(Cli.Usage, exit);
        Assert.Contains($"{root}: error SBD7001: trusted root not found", Lines(output));
    }

    [Fact]
    public void VerifyMsBuild_AssemblyNotDotNet_SBD7005()
    {
        Release("""{"rollout":{"ring":"canary"}}""");
        string notAssembly = Path.Combine(_dir, "notes.dll");
        File.WriteAllText(notAssembly, "not a portable executable");

        (int exit, string output) = Sbd("verify", "--root", Root, "--repo", Path.Combine(_dir, "repo"), "--format", "msbuild", "--assembly", notAssembly);

        Assert.Equal(Cli.Problem, exit);
        Assert.StartsWith($"{notAssembly}: error SBD7005: cannot read the [ContentParser] declarations", Assert.Single(Lines(output)), StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyMsBuild_IncompleteParserDeclaration_SBD7006()
    {
        Release("""{"rollout":{"ring":"canary"}}""");
        string assembly = typeof(GateTests).Assembly.Location;

        (int exit, string output) = Sbd("verify", "--root", Root, "--repo", Path.Combine(_dir, "repo"), "--format", "msbuild", "--assembly", assembly);

        Assert.Equal(Cli.Problem, exit);
        Assert.Equal(
            $"{assembly}: error SBD7006: SecureByDesign.Tool.Tests.IncompleteParsers.SchemaOnly: [ContentParser] declares Schema = \"incomplete\" and Fields = 0; a schema needs both a name and a positive field count",
            Assert.Single(Lines(output)));
    }

    [Fact]
    public void ParserSchemaReader_ReadsNamedArguments_SkipsParsersWithoutSchema()
    {
        var declarations = ParserSchemaReader.Read(SchemaAssembly.Path);

        var schema = Assert.Single(declarations.Schemas);
        Assert.Equal(("SecureByDesign.Tool.Tests.SchemaAssembly.Parse", "gate-test", 20), (schema.Parser, schema.Schema, schema.Fields));
        Assert.Empty(declarations.Invalid);
    }

    [Fact]
    public void GateCodes_EveryVerifierCode_HasItsOwnClass_AndEveryCodeHasAPage()
    {
        string[] clientOnly = [ProblemCodes.DownloadFailed, ProblemCodes.TargetNotFound, ProblemCodes.InternalError];
        var problemCodes = typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        foreach (string code in problemCodes.Except(clientOnly))
        {
            Assert.NotEqual(GateCodes.Unclassified, GateCodes.ForProblem(code));
        }

        Assert.Equal(GateCodes.Unclassified, GateCodes.ForProblem(ProblemCodes.InternalError));
        Assert.Equal(GateCodes.Unclassified, GateCodes.ForProblem("SBDU999"));

        var codes = problemCodes.Select(GateCodes.ForProblem)
            .Concat([GateCodes.TrustedRootMissing, GateCodes.AssemblyUnreadable, GateCodes.InvalidParserDeclaration])
            .Distinct();
        foreach (string code in codes)
        {
            string page = Path.Combine(RepositoryRoot(), "docs", "gates", code + ".md");
            Assert.True(File.Exists(page), $"{code} has no page at docs/gates/{code}.md");
            Assert.StartsWith($"# {code}: ", File.ReadLines(page).First(), StringComparison.Ordinal);
            Assert.Equal(GateCodes.HelpLinkBase + code + ".md", GateCodes.HelpLink(code));
        }
    }

    [Theory]
    [InlineData("metadata/timestamp.json: expired at 2020-01-01T00:00:00Z", "repo/metadata/timestamp.json")]
    [InlineData("targets/a/b.bin: listed but not found", "repo/targets/a/b.bin")]
    [InlineData("previous release metadata/snapshot.json: not found", "previous/metadata/snapshot.json")]
    [InlineData("trusted root: $.signed.version must be an integer", "root.json")]
    [InlineData("target 'a.bin': no custom.rollout ring; every target must declare one", "repo/metadata/targets.json")]
    [InlineData("repository could not be read: access denied", "repo")]
    public void GateReport_FileOf_NamesTheFileTheProblemIsIn(string message, string expected)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "repo", "metadata"));
        File.WriteAllText(Path.Combine(_dir, "repo", "metadata", "targets.json"), "{}");
        var report = new GateReport(TextWriter.Null, Path.Combine(_dir, "repo"), Path.Combine(_dir, "root.json"), Path.Combine(_dir, "previous"));

        Assert.Equal(Path.Combine(_dir, expected.Replace('/', Path.DirectorySeparatorChar)), report.FileOf(message));
    }

    private string Root => Path.Combine(_dir, "repo", "metadata", "1.root.json");

    private void Release(string custom)
    {
        string key = Path.Combine(_dir, "k.key");
        string file = Path.Combine(_dir, "channel.bin");
        File.WriteAllText(file, "a,b,c\n");
        foreach (string[] args in new[]
        {
            new[] { "keygen", "--out", key },
            new[] { "init", "--repo", Path.Combine(_dir, "repo"), "--root-key", key, "--timestamp-key", key, "--snapshot-key", key, "--targets-key", key },
            new[] { "add-target", "--repo", Path.Combine(_dir, "repo"), "--file", file, "--custom", custom },
            new[] { "sign", "--repo", Path.Combine(_dir, "repo"), "--role", "targets", "--key", key },
            new[] { "sign", "--repo", Path.Combine(_dir, "repo"), "--role", "snapshot", "--key", key },
            new[] { "sign", "--repo", Path.Combine(_dir, "repo"), "--role", "timestamp", "--key", key },
        })
        {
            Ok(args);
        }
    }

    private static (int Exit, string Output) Sbd(params string[] args)
    {
        var output = new StringWriter();
        int exit = Cli.Run(args, output, new StringWriter());
        return (exit, output.ToString());
    }

    private static string[] Lines(string output) => output.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureByDesign.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No SecureByDesign.sln above the test assembly.");
    }
}
