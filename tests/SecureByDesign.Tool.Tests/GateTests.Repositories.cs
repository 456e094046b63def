using System.Text.Json.Nodes;
using SecureByDesign.Tool;

namespace SecureByDesign.Tool.Tests;

/// <summary>
/// Gate codes that need more than one key per role: repositories made with <c>sbd rotate</c> and
/// <c>sbd delegate</c>, then checked by <c>verify --format msbuild</c> as the build gate runs it.
/// </summary>
public sealed partial class GateTests
{
    private string Key => Path.Combine(_dir, "k.key");

    private string Repo => Path.Combine(_dir, "repo");

    [Fact]
    public void VerifyMsBuild_NoValidSignature_SBD5017()
    {
        Release("""{"rollout":{"ring":"canary"}}""");
        string timestamp = Path.Combine(Repo, "metadata", "timestamp.json");
        var json = JsonNode.Parse(File.ReadAllText(timestamp))!.AsObject();
        json["signatures"] = new JsonArray();
        File.WriteAllText(timestamp, json.ToJsonString());

        AssertVerifyFails("metadata/timestamp.json", "SBD5017: metadata/timestamp.json: 0 valid signature(s) from distinct root-listed keys of role 'timestamp', threshold is 1 (SBDU030)");
    }

    [Fact]
    public void VerifyMsBuild_OneOfTwoSigners_SBD5003()
    {
        Release("""{"rollout":{"ring":"canary"}}""");
        string second = Path.Combine(_dir, "second.key");
        Ok("keygen", "--out", second);
        Ok("rotate", "--repo", Repo, "--role", "timestamp", "--add-key", second, "--threshold", "2");
        Ok("sign", "--repo", Repo, "--role", "root", "--key", Key);
        Ok("sign", "--repo", Repo, "--role", "timestamp", "--key", Key);

        AssertVerifyFails("metadata/timestamp.json", "SBD5003: metadata/timestamp.json: 1 valid signature(s) from distinct root-listed keys of role 'timestamp', threshold is 2 (SBDU006)");

        Ok("sign", "--repo", Repo, "--role", "timestamp", "--key", second);
        Assert.Equal(Cli.Ok, VerifyMsBuild().Exit);
    }

    [Fact]
    public void VerifyMsBuild_TargetListedByARoleNotTrustedForItsPath_SBD5011()
    {
        // Two teams' roles with one key: the rules role's listing, served as the other role's, is validly signed
        // by a key the other role trusts, but that role is not trusted for rules/.
        Release("""{"rollout":{"ring":"canary"}}""");
        Ok("delegate", "--repo", Repo, "--role", "rules", "--key", Key, "--path", "rules/*");
        Ok("delegate", "--repo", Repo, "--role", "other", "--key", Key, "--path", "other/*");
        string file = Path.Combine(_dir, "base.json");
        File.WriteAllText(file, "{}");
        Ok("add-target", "--repo", Repo, "--role", "rules", "--file", file, "--path", "rules/base.json", "--custom", """{"rollout":{"ring":"canary"}}""");
        SignAll("rules", "other");
        string rules = Path.Combine(Repo, "metadata", "rules.json");
        string other = Path.Combine(Repo, "metadata", "other.json");
        Assert.Equal(Cli.Ok, VerifyMsBuild().Exit);
        File.Move(rules, rules + ".swap");
        File.Move(other, rules);
        File.Move(rules + ".swap", other);
        Ok("sign", "--repo", Repo, "--role", "snapshot", "--key", Key);
        Ok("sign", "--repo", Repo, "--role", "timestamp", "--key", Key);

        AssertVerifyFails("metadata/targets.json", "SBD5011: target 'rules/base.json': listed by 'other', which no delegation trusted for this path reaches (SBDU017)");
    }

    [Fact]
    public void VerifyMsBuild_DelegationSearchOverItsLimit_SBD5012()
    {
        // The search visits at most 32 roles (python-tuf's max_delegations); the only role that lists the target
        // is the 40th of 40 delegations that all cover its path.
        Release("""{"rollout":{"ring":"canary"}}""");
        string[] roles = Enumerable.Range(1, 40).Select(i => $"team-{i:D2}").ToArray();
        foreach (string role in roles)
        {
            Ok("delegate", "--repo", Repo, "--role", role, "--key", Key, "--path", "data/*");
        }

        string file = Path.Combine(_dir, "deep.bin");
        File.WriteAllText(file, "deep");
        Ok("add-target", "--repo", Repo, "--role", roles[^1], "--file", file, "--path", "data/deep.bin", "--custom", """{"rollout":{"ring":"canary"}}""");
        SignAll(roles);

        AssertVerifyFails("metadata/targets.json", "SBD5012: target 'data/deep.bin': the delegation search visited 32 roles without reaching one that lists it (SBDU018)");
    }

    private (int Exit, string Output) VerifyMsBuild() => Sbd("verify", "--root", Root, "--repo", Repo, "--format", "msbuild");

    /// <summary>verify --format msbuild exits with a problem and prints one error, about <paramref name="file"/> of the repository.</summary>
    private void AssertVerifyFails(string file, string error)
    {
        (int exit, string output) = VerifyMsBuild();
        Assert.Equal(Cli.Problem, exit);
        Assert.Equal($"{Path.Combine(Repo, file.Replace('/', Path.DirectorySeparatorChar))}: error {error}", Assert.Single(Lines(output)));
    }

    private void SignAll(params string[] delegated)
    {
        foreach (string role in delegated.Concat(["targets", "snapshot", "timestamp"]))
        {
            Ok("sign", "--repo", Repo, "--role", role, "--key", Key);
        }
    }

    private static void Ok(params string[] args)
    {
        var output = new StringWriter();
        int exit = Cli.Run(args, output, output);
        Assert.True(exit == Cli.Ok, $"sbd {string.Join(' ', args)}: {output}");
    }
}
