using System.Security.Cryptography;
using System.Text;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Tests.Support;

namespace SecureByDesign.Updates.Tests.Verification;

/// <summary>Hash-bin (TAP 15) and diamond delegation graphs, verified as a whole repository.</summary>
public class DelegationGraphTests
{
    [Theory]
    [InlineData(1, "bin-0", "bin-1")]
    [InlineData(8, "bin-00", "bin-ff")]
    [InlineData(10, "bin-000", "bin-3ff")]
    public void SuccinctRoles_BinNames_AreZeroPaddedToTheLastBin(int bits, string first, string last)
    {
        var bins = new SuccinctRoles(Array.Empty<string>(), 1, bits, "bin");
        List<string> names = bins.RoleNames().ToList();
        Assert.Equal(1 << bits, names.Count);
        Assert.Equal(first, names[0]);
        Assert.Equal(last, names[^1]);
        Assert.True(bins.IsDelegatedRole(last));
        Assert.False(bins.IsDelegatedRole(last + "0"));
        Assert.False(bins.IsDelegatedRole(last.ToUpperInvariant()));
        Assert.False(bins.IsDelegatedRole("other-" + last[4..]));
    }

    [Theory]
    [InlineData("rules/base.json", 8)]
    [InlineData("channels/channel-291.bin", 3)]
    [InlineData("", 32)]
    public void SuccinctRoles_TargetBin_IsTheLeadingBitsOfItsPathHash(string path, int bits)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(path));
        ulong leading = ((ulong)hash[0] << 24 | (ulong)hash[1] << 16 | (ulong)hash[2] << 8 | hash[3]) >> (32 - bits);
        var bins = new SuccinctRoles(Array.Empty<string>(), 1, bits, "b");
        Assert.Equal(leading, Convert.ToUInt64(bins.RoleForTarget(path)[2..], 16));
    }

    [Fact]
    public void SuccinctHashBins_Verify_AndATargetListedInAnotherBin_IsUntrusted()
    {
        using var sim = new RepositorySimulator();
        sim.DelegateSuccinct("targets", "bin", bits: 2);
        var bins = new SuccinctRoles(Array.Empty<string>(), 1, 2, "bin");
        string home = bins.RoleForTarget("rules/base.json");
        string other = bins.RoleNames().First(b => b != home);
        string forged = Enumerable.Range(0, 64).Select(i => $"rules/forged-{i}.json").First(p => bins.RoleForTarget(p) != other);
        sim.AddTarget(home, "rules/base.json", "{}"u8.ToArray());
        sim.AddTarget(other, forged, "{}"u8.ToArray());
        sim.Publish();
        var result = sim.Verify();
        Assert.Equal(home, result.Targets["rules/base.json"].Role);
        Assert.Equal(new[] { $"SBDU017 target '{forged}': listed by '{other}', which no delegation trusted for this path reaches" }, result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Delegations_WithRolesAndSuccinctRoles_AreInvalid()
    {
        using var sim = new RepositorySimulator();
        sim.DelegateSuccinct("targets", "bin", bits: 1);
        sim.EditSigned["targets"] = signed => ((JsonObject)signed.Members["delegations"]).Set("roles", new JsonArray(Array.Empty<JsonValue>()));
        sim.Publish();
        Assert.Equal(new[] { "SBDU004 metadata/targets.json: $.signed.delegations.roles or succinct_roles: exactly one must be set" }, sim.Problems());
    }

    // test_cached_role_is_verified_against_current_delegator, for a whole repository: the role verified through A
    // lists a team-b target that B's delegation, under another key, does not vouch for.
    [Fact]
    public void DiamondDelegation_RoleIsVerifiedAgainstEachDelegator()
    {
        using var sim = new RepositorySimulator();
        sim.DelegateDiamond();
        var result = sim.Verify();
        Assert.Equal("release", result.Targets["team-a/trusted_root.json"].Role);
        Assert.Equal(new[] { "SBDU017 target 'team-b/trusted_root.json': listed by 'release', which no delegation trusted for this path reaches" }, result.Problems.Select(p => p.ToString()));
    }
}
