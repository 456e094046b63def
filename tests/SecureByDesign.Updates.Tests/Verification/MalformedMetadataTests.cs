using System.Text;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Verification;

/// <summary>Malformed, truncated, huge and non-canonical metadata: a clear problem, never an exception.</summary>
public class MalformedMetadataTests
{
    private static void Rewrite(RepositorySimulator sim, string relative, Func<string, string> change)
    {
        string file = sim.PathOf(relative);
        string before = File.ReadAllText(file);
        string after = change(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(file, after);
    }

    [Fact]
    public void Truncated_IsMalformed()
    {
        using var sim = new RepositorySimulator();
        Rewrite(sim, "metadata/timestamp.json", text => text[..(text.Length / 2)]);
        string problem = Assert.Single(sim.Problems());
        Assert.StartsWith("SBDU003 metadata/timestamp.json: $", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_IsRejectedBeforeParsing()
    {
        using var sim = new RepositorySimulator();
        Rewrite(sim, "metadata/timestamp.json", text => text + new string(' ', 20_000));
        long length = new FileInfo(sim.PathOf("metadata/timestamp.json")).Length;
        Assert.Equal(new[] { $"SBDU002 metadata/timestamp.json: {length} bytes, over the limit of 16384" }, sim.Problems());
    }

    [Fact]
    public void DuplicateKey_IsMalformed()
    {
        using var sim = new RepositorySimulator();
        Rewrite(sim, "metadata/timestamp.json", text => text.Replace("\"_type\":\"timestamp\"", "\"_type\":\"timestamp\",\"_type\":\"timestamp\"", StringComparison.Ordinal));
        Assert.Equal(new[] { "SBDU003 metadata/timestamp.json: $.signed._type is a duplicate key" }, sim.Problems());
    }

    [Fact]
    public void Float_IsMalformed()
    {
        using var sim = new RepositorySimulator();
        sim.EditSigned["timestamp"] = signed => signed.Set("version", new JsonInteger(7));
        sim.Publish();
        Rewrite(sim, "metadata/timestamp.json", text => text.Replace("\"version\":7", "\"version\":7.0", StringComparison.Ordinal));
        Assert.Equal(new[] { "SBDU003 metadata/timestamp.json: $.signed.version is a number with a fraction or exponent; canonical JSON has integers only" }, sim.Problems());
    }

    [Fact]
    public void DeepNesting_IsMalformed()
    {
        using var sim = new RepositorySimulator();
        Rewrite(sim, "metadata/timestamp.json", text => text.Replace("\"_type\"", "\"x\":" + new string('[', 200) + new string(']', 200) + ",\"_type\"", StringComparison.Ordinal));
        string problem = Assert.Single(sim.Problems());
        Assert.StartsWith("SBDU003 metadata/timestamp.json: ", problem, StringComparison.Ordinal);
        Assert.Contains("depth", problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MissingField_IsInvalid()
    {
        using var sim = new RepositorySimulator();
        sim.EditSigned["snapshot"] = signed => signed.Remove("expires");
        sim.Publish();
        Assert.Equal(new[] { "SBDU004 metadata/snapshot.json: $.signed.expires is missing" }, sim.Problems());
    }

    [Fact]
    public void WrongRoleInFile_IsInvalid()
    {
        using var sim = new RepositorySimulator { SnapshotListsHashes = false };
        sim.EditSigned["targets"] = signed => signed.Set("_type", new JsonString("snapshot"));
        sim.Publish();
        // Without trusted targets nothing below it can be judged: the one problem is the metadata's.
        Assert.Equal(new[] { "SBDU004 metadata/targets.json: $.signed._type is 'snapshot', expected 'targets'" }, sim.Problems());
    }

    [Fact]
    public void UnknownFields_AreSigned_AndAlteringThemBreaksTheSignature()
    {
        using var sim = new RepositorySimulator();
        sim.EditSigned["timestamp"] = signed => signed.Set("x-vendor", new JsonObject().Set("ring", new JsonString("canary")));
        sim.Publish();
        Assert.Empty(sim.Problems());
        Rewrite(sim, "metadata/timestamp.json", text => text.Replace("canary", "broad", StringComparison.Ordinal));
        Assert.Equal("SBDU030", Assert.Single(sim.Verify().Problems).Code);
    }

    [Fact]
    public void MissingMetadataFile_IsReported()
    {
        using var sim = new RepositorySimulator();
        File.Delete(sim.PathOf("metadata/snapshot.json"));
        Assert.Equal(new[] { "SBDU001 metadata/snapshot.json: not found" }, sim.Problems());
    }

    [Fact]
    public void RandomCorruption_NeverThrows_AndIsAlwaysReported()
    {
        using var sim = new RepositorySimulator(consistentSnapshot: true);
        sim.Delegate("targets", "rules", new[] { "rules/*" });
        sim.AddTarget("rules", "rules/a.json", "{}"u8.ToArray());
        sim.Publish();
        Assert.Empty(sim.Problems());
        var random = new Random(1234);
        string[] files = Directory.GetFiles(sim.PathOf("metadata"));
        foreach (string file in files)
        {
            byte[] original = File.ReadAllBytes(file);
            for (int i = 0; i < 40; i++)
            {
                byte[] mutated = (byte[])original.Clone();
                int position = random.Next(mutated.Length);
                switch (i % 4)
                {
                    case 0: mutated[position] ^= (byte)(1 << random.Next(8)); break;
                    case 1: mutated = mutated[..position]; break;
                    case 2: mutated[position] = (byte)"{}[]\",:0\\"[random.Next(9)]; break;
                    default: mutated = mutated.Concat(Encoding.UTF8.GetBytes(new string('[', random.Next(1, 5000)))).ToArray(); break;
                }

                File.WriteAllBytes(file, mutated);
                VerificationResult result = sim.Verify();
                Assert.DoesNotContain(result.Problems, p => p.Code == "SBDU099");
                if (!mutated.AsSpan().SequenceEqual(original) && !Path.GetFileName(file).StartsWith("1.root", StringComparison.Ordinal) && Path.GetFileName(file) != "root.json")
                {
                    // Any change to a file the workflow reads is a problem (root.json and 1.root.json are not read: the trusted root is pinned).
                    Assert.False(result.IsValid, $"{Path.GetFileName(file)} mutation {i} verified");
                }
            }

            File.WriteAllBytes(file, original);
        }
    }
}
