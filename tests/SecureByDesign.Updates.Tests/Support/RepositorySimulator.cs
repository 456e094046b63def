using System.Globalization;
using System.Security.Cryptography;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Support;

/// <summary>
/// Builds a TUF repository on disk in a temp folder, signed with generated keys (python-tuf's
/// RepositorySimulator, with files): change a field, call <see cref="Publish"/>, verify. Hooks edit the
/// signed objects before signing, so a test can build any repository an attacker could serve.
/// </summary>
internal sealed class RepositorySimulator : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A simulator whose expiries and default verification time are <paramref name="now"/> (default: the fixed <see cref="Now"/>).</summary>
    public RepositorySimulator(bool consistentSnapshot = false, Func<KeySigner>? makeKey = null, DateTimeOffset? now = null)
    {
        Clock = now ?? Now;
        MakeKey = makeKey ?? Ed25519KeySigner.Generate;
        Directory = Path.Combine(Path.GetTempPath(), "sbd-tuf-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "metadata"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "targets"));
        ConsistentSnapshot = consistentSnapshot;
        foreach (string role in new[] { "root", "timestamp", "snapshot", "targets" })
        {
            Signers[role] = new List<KeySigner> { MakeKey() };
            Thresholds[role] = 1;
            Expires[role] = Clock.AddDays(365);
        }

        Versions["targets"] = 1;
        Files["targets"] = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        PublishRoot();
        TrustedRoot = File.ReadAllBytes(Path.Combine(Directory, "metadata", "1.root.json"));
        AddTarget("targets", "content/channel-291.bin", "records: 20 fields each"u8.ToArray());
        Publish();
    }

    /// <summary>The wall clock to the second: for repositories that a client reading the real clock checks (tuf-js).</summary>
    public static DateTimeOffset RealNow() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary>The time this simulator's expiries count from, and that <see cref="Verify"/> uses by default.</summary>
    public DateTimeOffset Clock { get; }

    public Func<KeySigner> MakeKey { get; }

    public string Directory { get; }

    public bool ConsistentSnapshot { get; set; }

    public byte[] TrustedRoot { get; set; }

    public Dictionary<string, List<KeySigner>> Signers { get; } = new();

    /// <summary>Keys that sign the next root besides its own (the previous root's, for a rotation).</summary>
    public List<KeySigner> ExtraRootSigners { get; } = new();

    public Dictionary<string, int> Thresholds { get; } = new();

    public Dictionary<string, DateTimeOffset> Expires { get; } = new();

    public long RootVersion { get; set; } = 1;

    public long TimestampVersion { get; set; } = 1;

    public long SnapshotVersion { get; set; } = 1;

    /// <summary>Versions of the targets roles, by role name.</summary>
    public Dictionary<string, long> Versions { get; } = new();

    /// <summary>The targets each targets role lists, by role name, then path.</summary>
    public Dictionary<string, SortedDictionary<string, byte[]>> Files { get; } = new();

    public List<Delegation> Delegations { get; } = new();

    /// <summary>Edits a role's signed object (by role name) after it is built and before it is signed.</summary>
    public Dictionary<string, Action<JsonObject>> EditSigned { get; } = new();

    /// <summary>Edits a role's signatures (by role name) before the file is written.</summary>
    public Dictionary<string, Action<List<JsonValue>>> EditSignatures { get; } = new();

    /// <summary>Whether snapshot lists lengths and hashes of the targets roles (optional in TUF).</summary>
    public bool SnapshotListsHashes { get; set; } = true;

    /// <summary>The custom value of targets, by path (any role).</summary>
    public Dictionary<string, JsonValue> Customs { get; } = new();

    public void AddTarget(string role, string path, byte[] content) => Files[role][path] = content;

    /// <summary>Copies metadata/ to <paramref name="destination"/>: the previous release, for rollback and rollout.</summary>
    public void CopyMetadataTo(string destination)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(destination, "metadata"));
        foreach (string file in System.IO.Directory.GetFiles(Path.Combine(Directory, "metadata")))
        {
            File.Copy(file, Path.Combine(destination, "metadata", Path.GetFileName(file)), overwrite: true);
        }
    }

    public Delegation Delegate(string parent, string name, string[] paths, bool terminating = false, int keys = 1)
    {
        Delegation? existing = Delegations.FirstOrDefault(d => d.Name == name);
        var delegation = new Delegation(parent, name, existing?.Signers ?? Enumerable.Range(0, keys).Select(_ => MakeKey()).ToList(), keys, paths, terminating);
        Delegations.Add(delegation);
        if (existing is not null)
        {
            return delegation;
        }

        Versions[name] = 1;
        Files[name] = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        Expires[name] = Clock.AddDays(365);
        return delegation;
    }

    /// <summary>Delegates every path to 2^<paramref name="bits"/> hash bins named <c>PREFIX-HEX</c> (TAP 15), with one key.</summary>
    public Delegation DelegateSuccinct(string parent, string prefix, int bits)
    {
        var bins = new SuccinctRoles(Array.Empty<string>(), 1, bits, prefix);
        var delegation = new Delegation(parent, prefix, new List<KeySigner> { MakeKey() }, 1, Array.Empty<string>(), true, bits);
        Delegations.Add(delegation);
        foreach (string bin in bins.RoleNames())
        {
            Versions[bin] = 1;
            Files[bin] = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            Expires[bin] = Clock.AddDays(365);
        }

        return delegation;
    }

    /// <summary>
    /// The conformance suite's diamond (test_cached_role_is_verified_against_current_delegator): parent-a and parent-b
    /// both delegate to "release", for team-a/* and team-b/*, under different keys; release is signed by A's key
    /// only and lists one target of each team. Published.
    /// </summary>
    public void DelegateDiamond()
    {
        Delegate("targets", "parent-a", new[] { "team-a/*" });
        Delegate("targets", "parent-b", new[] { "team-b/*" });
        Delegation viaA = Delegate("parent-a", "release", new[] { "team-a/*" });
        Delegations.Add(viaA with { Parent = "parent-b", Paths = new[] { "team-b/*" }, Signers = new List<KeySigner> { MakeKey() } });
        AddTarget("release", "team-a/trusted_root.json", "trusted A"u8.ToArray());
        AddTarget("release", "team-b/trusted_root.json", "malicious B"u8.ToArray());
        Publish();
    }

    public string PathOf(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    public VerificationResult Verify(VerifierOptions? options = null, DateTimeOffset? now = null) =>
        RepositoryVerifier.Verify(TrustedRoot, Directory, now ?? Clock, options);

    /// <summary>The problems as "CODE message" lines.</summary>
    public string[] Problems(VerifierOptions? options = null, DateTimeOffset? now = null) =>
        Verify(options, now).Problems.Select(p => p.ToString()).ToArray();

    public void PublishRoot()
    {
        var keys = new JsonObject();
        var roles = new JsonObject();
        foreach (KeyValuePair<string, List<KeySigner>> role in Signers)
        {
            foreach (KeySigner signer in role.Value)
            {
                keys.Set(signer.PublicKey.Id, signer.PublicKey.ToJson());
            }

            roles.Set(role.Key, RoleJson(role.Value, Thresholds[role.Key]));
        }

        JsonObject signed = Common("root", RootVersion, Expires["root"])
            .Set("consistent_snapshot", JsonBoolean.Of(ConsistentSnapshot))
            .Set("keys", keys)
            .Set("roles", roles);
        byte[] bytes = SignAndWrite("root", signed, Signers["root"].Concat(ExtraRootSigners).Distinct(), $"metadata/{RootVersion}.root.json");
        File.WriteAllBytes(PathOf("metadata/root.json"), bytes);
    }

    public void Publish()
    {
        var snapshotMeta = new JsonObject();
        foreach (string role in Files.Keys)
        {
            byte[] bytes = PublishTargetsRole(role);
            snapshotMeta.Set(role + ".json", MetaJson(Versions[role], SnapshotListsHashes ? bytes : null));
        }

        JsonObject snapshot = Common("snapshot", SnapshotVersion, Expires["snapshot"]).Set("meta", snapshotMeta);
        byte[] snapshotBytes = SignAndWrite("snapshot", snapshot, Signers["snapshot"], MetadataFile("snapshot", SnapshotVersion));
        JsonObject timestamp = Common("timestamp", TimestampVersion, Expires["timestamp"])
            .Set("meta", new JsonObject().Set("snapshot.json", MetaJson(SnapshotVersion, snapshotBytes)));
        SignAndWrite("timestamp", timestamp, Signers["timestamp"], "metadata/timestamp.json");
    }

    /// <summary>Where a role's metadata is written: its name percent-encoded, as python-tuf quotes it.</summary>
    public string MetadataFile(string role, long version) =>
        "metadata/" + (ConsistentSnapshot ? version.ToString(CultureInfo.InvariantCulture) + "." : string.Empty) + RepositoryLayout.EncodeRoleName(role) + ".json";

    public string TargetFile(string path, byte[] content)
    {
        if (!ConsistentSnapshot)
        {
            return "targets/" + path;
        }

        int slash = path.LastIndexOf('/');
        return "targets/" + path[..(slash + 1)] + Sha256(content) + "." + path[(slash + 1)..];
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public void Dispose()
    {
        foreach (KeySigner signer in Signers.Values.SelectMany(s => s).Concat(Delegations.SelectMany(d => d.Signers)).Concat(ExtraRootSigners).Distinct())
        {
            signer.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private byte[] PublishTargetsRole(string role)
    {
        var targets = new JsonObject();
        foreach (KeyValuePair<string, byte[]> file in Files[role])
        {
            JsonObject listing = new JsonObject()
                .Set("length", new JsonInteger(file.Value.Length))
                .Set("hashes", new JsonObject().Set("sha256", new JsonString(Sha256(file.Value))));
            if (Customs.TryGetValue(file.Key, out JsonValue? custom))
            {
                listing.Set("custom", custom);
            }

            targets.Set(file.Key, listing);
            string onDisk = PathOf(TargetFile(file.Key, file.Value));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(onDisk)!);
            File.WriteAllBytes(onDisk, file.Value);
        }

        JsonObject signed = Common("targets", Versions[role], Expires[role]).Set("targets", targets);
        List<Delegation> children = Delegations.Where(d => d.Parent == role).ToList();
        if (children.Count > 0)
        {
            var keys = new JsonObject();
            foreach (KeySigner signer in children.SelectMany(c => c.Signers))
            {
                keys.Set(signer.PublicKey.Id, signer.PublicKey.ToJson());
            }

            JsonObject delegations = new JsonObject().Set("keys", keys);
            if (children.FirstOrDefault(c => c.Bits > 0) is Delegation succinct)
            {
                delegations.Set("succinct_roles", RoleJson(succinct.Signers, succinct.Threshold)
                    .Set("bit_length", new JsonInteger(succinct.Bits))
                    .Set("name_prefix", new JsonString(succinct.Name)));
            }
            else
            {
                delegations.Set("roles", new JsonArray(children.Select(c => (JsonValue)RoleJson(c.Signers, c.Threshold)
                    .Set("name", new JsonString(c.Name))
                    .Set("terminating", JsonBoolean.Of(c.Terminating))
                    .Set("paths", new JsonArray(c.Paths.Select(p => (JsonValue)new JsonString(p)))))));
            }

            signed.Set("delegations", delegations);
        }

        IEnumerable<KeySigner> signers = role == "targets" ? Signers["targets"] : SignersOf(role);
        return SignAndWrite(role, signed, signers, MetadataFile(role, Versions[role]));
    }

    // A role's signers: its delegation's (the first that names it), or its hash-bin delegation's.
    private List<KeySigner> SignersOf(string role) =>
        Delegations.First(d => d.Bits == 0 ? d.Name == role : role.StartsWith(d.Name + "-", StringComparison.Ordinal)).Signers;

    private byte[] SignAndWrite(string role, JsonObject signed, IEnumerable<KeySigner> signers, string relative)
    {
        if (EditSigned.TryGetValue(role, out Action<JsonObject>? edit))
        {
            edit(signed);
        }

        List<JsonValue> signatures = signers.Select(s => (JsonValue)s.Sign(signed).ToJson()).ToList();
        if (EditSignatures.TryGetValue(role, out Action<List<JsonValue>>? editSignatures))
        {
            editSignatures(signatures);
        }

        byte[] bytes = JsonText.Serialize(new JsonObject().Set("signed", signed).Set("signatures", new JsonArray(signatures)));
        File.WriteAllBytes(PathOf(relative), bytes);
        return bytes;
    }

    private static JsonObject Common(string type, long version, DateTimeOffset expires) => new JsonObject()
        .Set("_type", new JsonString(type))
        .Set("spec_version", new JsonString("1.0.31"))
        .Set("version", new JsonInteger(version))
        .Set("expires", new JsonString(expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));

    private static JsonObject RoleJson(IEnumerable<KeySigner> signers, int threshold) => new JsonObject()
        .Set("keyids", new JsonArray(signers.Select(s => (JsonValue)new JsonString(s.PublicKey.Id))))
        .Set("threshold", new JsonInteger(threshold));

    private static JsonObject MetaJson(long version, byte[]? bytes)
    {
        JsonObject meta = new JsonObject().Set("version", new JsonInteger(version));
        if (bytes is not null)
        {
            meta.Set("length", new JsonInteger(bytes.Length)).Set("hashes", new JsonObject().Set("sha256", new JsonString(Sha256(bytes))));
        }

        return meta;
    }

    /// <summary>A delegation; with <see cref="Bits"/> above 0, hash bins (TAP 15) whose <see cref="Name"/> is the prefix.</summary>
    internal sealed record Delegation(string Parent, string Name, List<KeySigner> Signers, int Threshold, string[] Paths, bool Terminating, int Bits = 0);
}
