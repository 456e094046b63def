using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Trust;

namespace SecureByDesign.Updates.Tests.Trust;

/// <summary>
/// The trusted set alone (no I/O), ported from python-tuf's tests/test_trusted_metadata_set.py under the same test
/// names (test_update_timestamp_expired is UpdateTimestamp_Expired), so coverage compares side by side. Where this
/// set differs by design it says so: a rejected update leaves the set unchanged (python-tuf keeps an expired or
/// wrongly versioned timestamp or snapshot as "intermediate" and fails the next step), and a timestamp of the
/// trusted version with the same content is accepted (python-tuf: EqualVersionNumberError), because the release
/// gate verifies unchanged releases with the same set.
/// </summary>
public sealed class TrustedMetadataSetTests : IDisposable
{
    private static readonly DateTimeOffset Expired = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly RepositorySimulator _sim = new();
    private readonly Dictionary<string, byte[]> _metadata = new();
    private TrustedMetadataSet _trustedSet;

    public TrustedMetadataSetTests()
    {
        // python-tuf's repository_data: role1 delegated by targets, role2 by role1; snapshot lists versions only.
        // Also (not in python-tuf) targets delegates role2 under another key: a diamond.
        _sim.SnapshotListsHashes = false;
        _sim.Delegate("targets", "role1", new[] { "*" });
        RepositorySimulator.Delegation role2 = _sim.Delegate("role1", "role2", new[] { "*" });
        _sim.Delegations.Add(role2 with { Parent = "targets", Signers = new List<KeySigner> { _sim.MakeKey() } });
        _sim.Publish();
        foreach (string role in new[] { "root", "snapshot", "targets", "role1", "role2" })
        {
            _metadata[role] = File.ReadAllBytes(_sim.PathOf($"metadata/{role}.json"));
        }

        _metadata["timestamp"] = File.ReadAllBytes(_sim.PathOf("metadata/timestamp.json"));
        // As python-tuf's fixture: timestamp lists snapshot by version only, so a changed snapshot still loads.
        _metadata["timestamp"] = ModifyMetadata("timestamp", t => SnapshotMeta(t).Remove("length"));
        _metadata["timestamp"] = ModifyMetadata("timestamp", t => SnapshotMeta(t).Remove("hashes"));
        _trustedSet = New(_metadata["root"]);
    }

    public void Dispose() => _sim.Dispose();

    private static TrustedMetadataSet New(byte[] root, RollbackBaseline? baseline = null)
    {
        var set = new TrustedMetadataSet(root, "root.json", RepositorySimulator.Now, new MetadataLimits(), baseline);
        set.FinishRootChain();
        return set;
    }

    private static JsonObject SnapshotMeta(JsonObject timestamp) => (JsonObject)((JsonObject)timestamp.Members["meta"]).Members["snapshot.json"];

    private static JsonObject Meta(JsonObject snapshot) => (JsonObject)snapshot.Members["meta"];

    private static void SetVersion(JsonObject signed, long version) => signed.Set("version", new JsonInteger(version));

    private static void SetExpires(JsonObject signed, DateTimeOffset at) => signed.Set("expires", new JsonString(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));

    /// <summary>python-tuf's modify_metadata: edit the signed part and sign it again with the role's keys.</summary>
    private byte[] ModifyMetadata(string role, Action<JsonObject> modify)
    {
        var file = (JsonObject)StrictJsonReader.Parse(_metadata[role], role, 1 << 20);
        var signed = (JsonObject)file.Members["signed"];
        modify(signed);
        IEnumerable<KeySigner> signers = _sim.Signers.TryGetValue(role, out List<KeySigner>? top) ? top : _sim.Delegations.First(d => d.Name == role).Signers;
        file.Set("signatures", new JsonArray(signers.Select(s => (JsonValue)s.Sign(signed).ToJson())));
        return JsonText.Serialize(file);
    }

    private void UpdateAllBesidesTargets(byte[]? timestamp = null, byte[]? snapshot = null)
    {
        _trustedSet.UpdateTimestamp(timestamp ?? _metadata["timestamp"], "timestamp.json");
        _trustedSet.UpdateSnapshot(snapshot ?? _metadata["snapshot"], "snapshot.json");
    }

    [Fact]
    public void Update()
    {
        UpdateAllBesidesTargets();
        _trustedSet.UpdateTargets(_metadata["targets"], "targets.json");
        _trustedSet.UpdateDelegatedTargets(_metadata["role1"], "role1.json", "role1", "targets");
        _trustedSet.UpdateDelegatedTargets(_metadata["role2"], "role2.json", "role2", "role1");
        Assert.Equal(new[] { "role1", "role2", "targets" }, _trustedSet.TargetsRoles.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(_trustedSet.Timestamp);
        Assert.NotNull(_trustedSet.Snapshot);
    }

    [Fact]
    public void OutOfOrderOps()
    {
        var notFinal = new TrustedMetadataSet(_metadata["root"], "root.json", RepositorySimulator.Now, new MetadataLimits());
        Assert.Throws<InvalidOperationException>(() => notFinal.UpdateTimestamp(_metadata["timestamp"], "timestamp.json"));
        Assert.Throws<InvalidOperationException>(() => _trustedSet.UpdateSnapshot(_metadata["snapshot"], "snapshot.json"));
        _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json");
        Assert.Throws<InvalidOperationException>(() => _trustedSet.UpdateRoot(_metadata["root"], "root.json"));
        Assert.Throws<InvalidOperationException>(() => _trustedSet.UpdateTargets(_metadata["targets"], "targets.json"));
        _trustedSet.UpdateSnapshot(_metadata["snapshot"], "snapshot.json");
        Assert.Throws<InvalidOperationException>(() => _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json"));
        Assert.Throws<InvalidOperationException>(() => _trustedSet.UpdateDelegatedTargets(_metadata["role1"], "role1.json", "role1", "targets"));
        _trustedSet.UpdateTargets(_metadata["targets"], "targets.json");
        Assert.Throws<InvalidOperationException>(() => _trustedSet.UpdateSnapshot(_metadata["snapshot"], "snapshot.json"));
        _trustedSet.UpdateDelegatedTargets(_metadata["role1"], "role1.json", "role1", "targets");
    }

    [Fact]
    public void BadInitialRoot()
    {
        Assert.ThrowsAny<RepositoryException>(() => New(Array.Empty<byte>()));
        Assert.Throws<MissingSignatureException>(() => New(ModifyUnsigned("root", r => SetVersion(r, 2))));
        Assert.ThrowsAny<RepositoryException>(() => New(_metadata["snapshot"]));
    }

    [Fact]
    public void BadRootUpdate()
    {
        var set = new TrustedMetadataSet(_metadata["root"], "root.json", RepositorySimulator.Now, new MetadataLimits());
        Assert.ThrowsAny<RepositoryException>(() => set.UpdateRoot(Array.Empty<byte>(), "2.root.json"));
        Assert.Throws<MissingSignatureException>(() => set.UpdateRoot(ModifyUnsigned("root", r => SetVersion(r, 2)), "2.root.json"));
        Assert.ThrowsAny<RepositoryException>(() => set.UpdateRoot(_metadata["snapshot"], "2.root.json"));
    }

    // Changes the signed part and keeps the old signatures, which no longer match.
    private byte[] ModifyUnsigned(string role, Action<JsonObject> modify)
    {
        var file = (JsonObject)StrictJsonReader.Parse(_metadata[role], role, 1 << 20);
        modify((JsonObject)file.Members["signed"]);
        return JsonText.Serialize(file);
    }

    [Fact]
    public void TopLevelMdWithInvalidJson()
    {
        var updates = new (string Role, Action<byte[]> Update)[]
        {
            ("timestamp", bytes => _trustedSet.UpdateTimestamp(bytes, "timestamp.json")),
            ("snapshot", bytes => _trustedSet.UpdateSnapshot(bytes, "snapshot.json")),
            ("targets", bytes => _trustedSet.UpdateTargets(bytes, "targets.json")),
        };
        foreach ((string role, Action<byte[]> update) in updates)
        {
            Assert.ThrowsAny<RepositoryException>(() => update(Array.Empty<byte>()));
            Assert.Throws<MissingSignatureException>(() => update(ModifyUnsigned(role, s => SetVersion(s, 2))));
            Assert.ThrowsAny<RepositoryException>(() => update(_metadata["root"]));
            update(_metadata[role]);
        }
    }

    [Fact]
    public void UpdateRoot_NewRoot()
    {
        var set = new TrustedMetadataSet(_metadata["root"], "root.json", RepositorySimulator.Now, new MetadataLimits());
        set.UpdateRoot(ModifyMetadata("root", r => SetVersion(r, 2)), "2.root.json");
        Assert.Equal(2, set.Root.Signed.Version);
    }

    [Fact]
    public void UpdateRoot_NewRootFailThresholdVerification()
    {
        var set = new TrustedMetadataSet(_metadata["root"], "root.json", RepositorySimulator.Now, new MetadataLimits());
        byte[] root = ModifyMetadata("root", r =>
        {
            SetVersion(r, 2);
            ((JsonObject)((JsonObject)r.Members["roles"]).Members["root"]).Set("threshold", new JsonInteger(2));
        });
        Assert.Throws<UnsignedMetadataException>(() => set.UpdateRoot(root, "2.root.json"));
        Assert.Equal(1, set.Root.Signed.Version);
    }

    [Fact]
    public void UpdateRoot_NewRootVerSameAsTrustedRootVer()
    {
        var set = new TrustedMetadataSet(_metadata["root"], "root.json", RepositorySimulator.Now, new MetadataLimits());
        Assert.ThrowsAny<BadVersionException>(() => set.UpdateRoot(_metadata["root"], "1.root.json"));
    }

    [Fact]
    public void RootExpiredFinalRoot()
    {
        // An intermediate root may be expired; the final one may not (checked when the chain ends).
        var set = new TrustedMetadataSet(ModifyMetadata("root", r => SetExpires(r, Expired)), "root.json", RepositorySimulator.Now, new MetadataLimits());
        Assert.Throws<ExpiredMetadataException>(() => set.FinishRootChain());
    }

    [Fact]
    public void UpdateTimestamp_NewTimestampVerBelowTrustedVer()
    {
        _trustedSet.UpdateTimestamp(ModifyMetadata("timestamp", t => SetVersion(t, 3)), "timestamp.json");
        Assert.Throws<RollbackException>(() => _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json"));
    }

    [Fact]
    public void UpdateTimestamp_WithSameTimestamp()
    {
        _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json");
        Metadata<Timestamp> initial = _trustedSet.Timestamp!;
        byte[] otherContent = ModifyMetadata("timestamp", t => t.Set("x-note", new JsonString("changed")));
        Assert.Throws<EqualVersionException>(() => _trustedSet.UpdateTimestamp(otherContent, "timestamp.json"));
        Assert.Same(initial, _trustedSet.Timestamp);
    }

    [Fact]
    public void UpdateTimestamp_SnapshotVerBelowCurrent()
    {
        _trustedSet.UpdateTimestamp(ModifyMetadata("timestamp", t => { SnapshotMeta(t).Set("version", new JsonInteger(2)); SetVersion(t, 2); }), "timestamp.json");
        Assert.Throws<RollbackException>(() => _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json"));
    }

    [Fact]
    public void UpdateTimestamp_Expired()
    {
        Assert.Throws<ExpiredMetadataException>(() => _trustedSet.UpdateTimestamp(ModifyMetadata("timestamp", t => SetExpires(t, Expired)), "timestamp.json"));
        Assert.Null(_trustedSet.Timestamp);
        Assert.Throws<InvalidOperationException>(() => _trustedSet.UpdateSnapshot(_metadata["snapshot"], "snapshot.json"));
    }

    [Fact]
    public void UpdateSnapshot_LengthOrHashMismatch()
    {
        _trustedSet.UpdateTimestamp(ModifyMetadata("timestamp", t => SnapshotMeta(t).Set("length", new JsonInteger(1))), "timestamp.json");
        Assert.Throws<LengthOrHashMismatchException>(() => _trustedSet.UpdateSnapshot(_metadata["snapshot"], "snapshot.json"));
    }

    [Fact]
    public void UpdateSnapshot_FailThresholdVerification()
    {
        _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json");
        var file = (JsonObject)StrictJsonReader.Parse(_metadata["snapshot"], "snapshot.json", 1 << 20);
        file.Set("signatures", new JsonArray(Array.Empty<JsonValue>()));
        Assert.Throws<MissingSignatureException>(() => _trustedSet.UpdateSnapshot(JsonText.Serialize(file), "snapshot.json"));
    }

    [Fact]
    public void UpdateSnapshot_VersionDivergeTimestampSnapshotVersion()
    {
        _trustedSet.UpdateTimestamp(ModifyMetadata("timestamp", t => SnapshotMeta(t).Set("version", new JsonInteger(2))), "timestamp.json");
        Assert.Throws<BadVersionException>(() => _trustedSet.UpdateSnapshot(_metadata["snapshot"], "snapshot.json"));
        Assert.Null(_trustedSet.Snapshot);
    }

    [Fact]
    public void UpdateSnapshot_FileRemovedFromMeta()
    {
        UpdateAllBesidesTargets();
        // python-tuf updates snapshot twice; here the first snapshot is the baseline of a new set.
        var set = New(_metadata["root"], new RollbackBaseline(_trustedSet.Root.Signed, _trustedSet.Timestamp!.Signed, _trustedSet.Snapshot!.Signed));
        set.UpdateTimestamp(_metadata["timestamp"], "timestamp.json");
        byte[] snapshot = ModifyMetadata("snapshot", s => Meta(s).Remove("targets.json"));
        Assert.ThrowsAny<RepositoryException>(() => set.UpdateSnapshot(snapshot, "snapshot.json"));
    }

    [Fact]
    public void UpdateSnapshot_MetaVersionDecreases()
    {
        _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json");
        _trustedSet.UpdateSnapshot(ModifyMetadata("snapshot", s => ((JsonObject)Meta(s).Members["targets.json"]).Set("version", new JsonInteger(2))), "snapshot.json");
        var set = New(_metadata["root"], new RollbackBaseline(_trustedSet.Root.Signed, null, _trustedSet.Snapshot!.Signed));
        set.UpdateTimestamp(_metadata["timestamp"], "timestamp.json");
        Assert.ThrowsAny<BadVersionException>(() => set.UpdateSnapshot(_metadata["snapshot"], "snapshot.json"));
    }

    [Fact]
    public void UpdateSnapshot_ExpiredNewSnapshot()
    {
        _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json");
        Assert.Throws<ExpiredMetadataException>(() => _trustedSet.UpdateSnapshot(ModifyMetadata("snapshot", s => SetExpires(s, Expired)), "snapshot.json"));
        Assert.Throws<InvalidOperationException>(() => _trustedSet.UpdateTargets(_metadata["targets"], "targets.json"));
    }

    [Fact]
    public void UpdateSnapshot_SuccessfulRollbackChecks()
    {
        _trustedSet.UpdateTimestamp(_metadata["timestamp"], "timestamp.json");
        _trustedSet.UpdateTimestamp(ModifyMetadata("timestamp", t => { SnapshotMeta(t).Set("version", new JsonInteger(2)); SetVersion(t, 2); }), "timestamp.json");
        Assert.Throws<BadVersionException>(() => _trustedSet.UpdateSnapshot(_metadata["snapshot"], "snapshot.json"));
        _trustedSet.UpdateSnapshot(ModifyMetadata("snapshot", s => SetVersion(s, 2)), "snapshot.json");
        _trustedSet.UpdateTargets(_metadata["targets"], "targets.json");
    }

    [Fact]
    public void UpdateTargets_NoMetaInSnapshot()
    {
        UpdateAllBesidesTargets(snapshot: ModifyMetadata("snapshot", s => s.Set("meta", new JsonObject())));
        UpdateException e = Assert.ThrowsAny<RepositoryException>(() => _trustedSet.UpdateTargets(_metadata["targets"], "targets.json"));
        Assert.Equal(ProblemCodes.RoleNotInSnapshot, e.Code);
    }

    [Fact]
    public void UpdateTargets_HashDivergeFromSnapshotMetaHash()
    {
        UpdateAllBesidesTargets(snapshot: ModifyMetadata("snapshot", s => Meta(s).Set("targets.json", new JsonObject().Set("version", new JsonInteger(1)).Set("length", new JsonInteger(1)))));
        Assert.Throws<LengthOrHashMismatchException>(() => _trustedSet.UpdateTargets(_metadata["targets"], "targets.json"));
    }

    [Fact]
    public void UpdateTargets_VersionDivergeSnapshotMetaVersion()
    {
        UpdateAllBesidesTargets(snapshot: ModifyMetadata("snapshot", s => Meta(s).Set("targets.json", new JsonObject().Set("version", new JsonInteger(2)))));
        Assert.Throws<BadVersionException>(() => _trustedSet.UpdateTargets(_metadata["targets"], "targets.json"));
    }

    [Fact]
    public void UpdateTargets_ExpiredNewTarget()
    {
        UpdateAllBesidesTargets();
        Assert.Throws<ExpiredMetadataException>(() => _trustedSet.UpdateTargets(ModifyMetadata("targets", t => SetExpires(t, Expired)), "targets.json"));
    }

    // Not in python-tuf's file: role2, trusted through role1, is checked again when reached through targets.
    [Fact]
    public void RequireDelegatedBy_AnotherDelegator_VerifiesAgainstItsKeys()
    {
        UpdateAllBesidesTargets();
        _trustedSet.UpdateTargets(_metadata["targets"], "targets.json");
        _trustedSet.UpdateDelegatedTargets(_metadata["role1"], "role1.json", "role1", "targets");
        _trustedSet.UpdateDelegatedTargets(_metadata["role2"], "role2.json", "role2", "role1");
        _trustedSet.RequireDelegatedBy("role2", "role1");
        Assert.Throws<MissingSignatureException>(() => _trustedSet.RequireDelegatedBy("role2", "targets"));
        Assert.Throws<InvalidOperationException>(() => _trustedSet.RequireDelegatedBy("role1", "role2"));
    }
}
