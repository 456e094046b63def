using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Trust;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Trust;

/// <summary>The trusted set alone (no I/O), named after python-tuf's test_trusted_metadata_set.</summary>
public class TrustedMetadataSetTests
{
    private static byte[] Read(RepositorySimulator sim, string relative) => File.ReadAllBytes(sim.PathOf(relative));

    private static TrustedMetadataSet Start(RepositorySimulator sim) =>
        new(sim.TrustedRoot, "trusted root", RepositorySimulator.Now, new MetadataLimits());

    [Fact]
    public void Update_InOrder_TrustsEveryRole()
    {
        using var sim = new RepositorySimulator();
        TrustedMetadataSet set = Start(sim);
        set.FinishRootChain();
        set.UpdateTimestamp(Read(sim, "metadata/timestamp.json"), "timestamp.json");
        set.UpdateSnapshot(Read(sim, "metadata/snapshot.json"), "snapshot.json");
        set.UpdateTargets(Read(sim, "metadata/targets.json"), "targets.json");
        Assert.Equal(1, set.TargetsRoles["targets"].Signed.Version);
    }

    [Fact]
    public void Update_OutOfOrder_IsAProgrammingError()
    {
        using var sim = new RepositorySimulator();
        TrustedMetadataSet set = Start(sim);
        Assert.Throws<InvalidOperationException>(() => set.UpdateTimestamp(Read(sim, "metadata/timestamp.json"), "timestamp.json"));
        set.FinishRootChain();
        Assert.Throws<InvalidOperationException>(() => set.UpdateSnapshot(Read(sim, "metadata/snapshot.json"), "snapshot.json"));
        Assert.Throws<InvalidOperationException>(() => set.UpdateRoot(sim.TrustedRoot, "root.json"));
    }

    [Fact]
    public void UpdateRoot_SameVersionAgain_IsBadVersion()
    {
        using var sim = new RepositorySimulator();
        TrustedMetadataSet set = Start(sim);
        UpdateException e = Assert.ThrowsAny<UpdateException>(() => set.UpdateRoot(sim.TrustedRoot, "1.root.json"));
        Assert.Equal(ProblemCodes.BadVersion, e.Code);
        Assert.Equal(1, set.Root.Signed.Version);
    }

    [Fact]
    public void UpdateTimestamp_Rejected_LeavesTheSetUnchanged()
    {
        using var sim = new RepositorySimulator();
        TrustedMetadataSet set = Start(sim);
        set.FinishRootChain();
        Assert.ThrowsAny<UpdateException>(() => set.UpdateTimestamp(Read(sim, "metadata/snapshot.json"), "timestamp.json"));
        Assert.Null(set.Timestamp);
    }

    [Fact]
    public void TrustedRoot_Garbage_IsMalformed()
    {
        UpdateException e = Assert.ThrowsAny<UpdateException>(() => new TrustedMetadataSet("not json"u8.ToArray(), "trusted root", RepositorySimulator.Now, new MetadataLimits()));
        Assert.Equal(ProblemCodes.MalformedJson, e.Code);
    }
}
