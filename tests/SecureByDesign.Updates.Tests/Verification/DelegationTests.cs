using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Verification;

/// <summary>The delegation search (spec §5.6.7): pre-order, listed order, visited set, terminating, cap.</summary>
public class DelegationTests
{
    [Fact]
    public void Terminating_StopsTheSearch()
    {
        using var sim = new RepositorySimulator();
        sim.Delegate("targets", "a", new[] { "rules/*" }, terminating: true);
        sim.Delegate("targets", "b", new[] { "rules/*" });
        sim.AddTarget("b", "rules/x.json", "1"u8.ToArray());
        sim.Publish();
        Assert.Equal(new[] { "SBDU017 target 'rules/x.json': listed by 'b', which no delegation trusted for this path reaches" }, sim.Problems());

        sim.Delegations[0] = sim.Delegations[0] with { Terminating = false };
        sim.Publish();
        Assert.Empty(sim.Problems());
    }

    [Fact]
    public void FirstRoleInPreOrder_Wins()
    {
        using var sim = new RepositorySimulator();
        sim.Delegate("targets", "a", new[] { "rules/*" });
        sim.Delegate("a", "a-child", new[] { "rules/*" });
        sim.Delegate("targets", "b", new[] { "rules/*" });
        sim.AddTarget("a-child", "rules/x.json", "1"u8.ToArray());
        sim.AddTarget("b", "rules/x.json", "1"u8.ToArray());
        sim.Publish();
        VerificationResult result = sim.Verify();
        Assert.Empty(result.Problems);
        Assert.Equal("a-child", result.Targets["rules/x.json"].Role);
    }

    [Fact]
    public void Cycle_IsVisitedOnce()
    {
        using var sim = new RepositorySimulator();
        sim.Delegate("targets", "a", new[] { "*" });
        sim.Delegate("a", "b", new[] { "*" });
        sim.Delegate("b", "a", new[] { "*" });
        sim.AddTarget("b", "x.bin", "1"u8.ToArray());
        sim.Publish();
        Assert.Empty(sim.Problems());
    }

    [Fact]
    public void SearchCap_IsReported()
    {
        using var sim = new RepositorySimulator();
        sim.Delegate("targets", "d1", new[] { "*" });
        sim.Delegate("d1", "d2", new[] { "*" });
        sim.Delegate("d2", "d3", new[] { "*" });
        sim.AddTarget("d3", "x.bin", "1"u8.ToArray());
        sim.Publish();
        Assert.Empty(sim.Problems(new VerifierOptions { MaxDelegations = 4 }));
        Assert.Equal(
            new[] { "SBDU018 target 'x.bin': the delegation search visited 3 roles without reaching one that lists it" },
            sim.Problems(new VerifierOptions { MaxDelegations = 3 }));
    }

    [Fact]
    public void DelegatedRolesCap_DeepChain_IsReported()
    {
        using var sim = new RepositorySimulator();
        for (int i = 1; i <= 5; i++)
        {
            sim.Delegate(i == 1 ? "targets" : "d" + (i - 1), "d" + i, new[] { "*" });
        }

        sim.Publish();
        Assert.Empty(sim.Problems(new VerifierOptions { MaxDelegatedRoles = 5 }));
        Assert.Equal(
            new[] { "SBDU018 delegations: more than 3 delegated roles; 'd4' and the roles after it were not loaded" },
            sim.Problems(new VerifierOptions { MaxDelegatedRoles = 3 }));
    }

    [Fact]
    public void DelegatedRole_SignedByAnUntrustedKey_IsRejected_AndItsFilesAreUnlisted()
    {
        using var sim = new RepositorySimulator();
        RepositorySimulator.Delegation rules = sim.Delegate("targets", "rules", new[] { "rules/*" });
        sim.AddTarget("rules", "rules/a.json", "{}"u8.ToArray());
        // targets.json is written first and delegates to the original key; rules.json is then signed by another.
        sim.EditSigned["rules"] = _ => rules.Signers[0] = Ed25519KeySigner.Generate();
        sim.Publish();
        Assert.Equal(
            new[]
            {
                "SBDU030 metadata/rules.json: 0 valid signature(s) from distinct 'targets'-delegated keys of role 'rules', threshold is 1",
                "SBDU016 targets/rules/a.json: listed by no trusted role",
            },
            sim.Problems());
    }

    [Fact]
    public void DelegatedRole_NotInSnapshot_IsReported()
    {
        using var sim = new RepositorySimulator();
        sim.Delegate("targets", "rules", new[] { "rules/*" });
        sim.AddTarget("rules", "rules/a.json", "{}"u8.ToArray());
        sim.EditSigned["snapshot"] = signed => ((JsonObject)signed.Members["meta"]).Remove("rules.json");
        sim.Publish();
        Assert.Equal(
            new[] { "SBDU022 metadata/snapshot.json: does not list rules.json", "SBDU016 targets/rules/a.json: listed by no trusted role" },
            sim.Problems());
    }

    [Theory]
    [InlineData("sha256", "../../../../outside")]
    [InlineData("sha256", "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("sha256", "abcdef")]
    [InlineData("sha512", "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("blake2b", "ab/cd")]
    public void TargetHash_NotLowercaseHexOfItsLength_IsRejected(string algorithm, string hash)
    {
        // Under consistent snapshots a hash is part of a file name and a URL: "../" there would leave the folder.
        using var sim = new RepositorySimulator(consistentSnapshot: true);
        sim.EditSigned["targets"] = signed => ((JsonObject)signed.Members["targets"]).Set("rules/a.json", new JsonObject()
            .Set("length", new JsonInteger(1))
            .Set("hashes", new JsonObject().Set(algorithm, new JsonString(hash))));
        sim.Publish();
        string expected = algorithm switch { "sha256" => "64 lowercase hex digits", "sha512" => "128 lowercase hex digits", _ => "lowercase hex digits" };
        Assert.Equal(
            new[] { $"SBDU004 metadata/1.targets.json: $.signed.targets.rules/a.json.hashes.{algorithm} must be {expected}" },
            sim.Problems());
    }

    [Fact]
    public void TargetPath_OutsideTheTargetsFolder_IsRejected()
    {
        using var sim = new RepositorySimulator();
        sim.EditSigned["targets"] = signed => ((JsonObject)signed.Members["targets"]).Set("../../outside.bin", new JsonObject()
            .Set("length", new JsonInteger(1))
            .Set("hashes", new JsonObject().Set("sha256", new JsonString(new string('0', 64)))));
        sim.Publish();
        Assert.Equal(
            new[] { "SBDU021 target '../../outside.bin' (listed by targets) has an empty, '.' or '..' segment, or is absolute" },
            sim.Problems());
    }
}
