using System.Text;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Tests.Model;

public class MetadataReaderTests
{
    private const string Ed25519Public = "4f66dabebcf30628963786001984c0b75c175cdcf3bc4855933a2628f0cd0a0f";

    private static string KeyId => Key.ComputeKeyId("ed25519", "ed25519", new JsonObject().Set("public", new JsonString(Ed25519Public)));

    private static string RootJson(string extraSigned = "", string version = "1", string expires = "2030-01-01T00:00:00Z", string spec = "1.0.31") =>
        "{\"signatures\":[{\"keyid\":\"" + KeyId + "\",\"sig\":\"00\"}],\"signed\":{\"_type\":\"root\",\"spec_version\":\"" + spec + "\",\"version\":" + version
        + ",\"expires\":\"" + expires + "\",\"consistent_snapshot\":true" + extraSigned
        + ",\"keys\":{\"" + KeyId + "\":{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":\"" + Ed25519Public + "\"}}},"
        + "\"roles\":{\"root\":{\"keyids\":[\"" + KeyId + "\"],\"threshold\":1},\"timestamp\":{\"keyids\":[\"" + KeyId + "\"],\"threshold\":1},"
        + "\"snapshot\":{\"keyids\":[\"" + KeyId + "\"],\"threshold\":1},\"targets\":{\"keyids\":[\"" + KeyId + "\"],\"threshold\":1}}}}";

    private static Metadata<Root> ReadRoot(string json) => MetadataReader.ReadRoot(Encoding.UTF8.GetBytes(json), "root.json", 1 << 20);

    private static UpdateException Reject(string json) => Assert.ThrowsAny<UpdateException>(() => ReadRoot(json));

    [Fact]
    public void Root_ReadsFields()
    {
        Metadata<Root> root = ReadRoot(RootJson());
        Assert.Equal(1, root.Signed.Version);
        Assert.True(root.Signed.ConsistentSnapshot);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), root.Signed.Expires);
        Assert.Equal(KeyId, Assert.Single(root.Signed.Keys).Key);
        Assert.Equal(1, root.Signed.Roles["snapshot"].Threshold);
        Assert.Equal("00", Assert.Single(root.Signatures).Sig);
    }

    [Fact]
    public void KeyId_OfALegacyKeyWithExtraFields_IsTheHashOfTheWholeKeyObject()
    {
        const string Legacy = "{\"keyid_hash_algorithms\":[\"sha256\",\"sha512\"],\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"" + Ed25519Public + "\"},\"scheme\":\"ed25519\"}";
        string legacyId = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Legacy))).ToLowerInvariant();
        string json = RootJson().Replace(
            "\"keys\":{\"" + KeyId + "\":{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":\"" + Ed25519Public + "\"}}}",
            "\"keys\":{\"" + legacyId + "\":" + Legacy + "}",
            StringComparison.Ordinal).Replace(KeyId, legacyId, StringComparison.Ordinal);
        Metadata<Root> root = ReadRoot(json);
        Assert.Equal(legacyId, Assert.Single(root.Signed.Keys).Value.Id);
        Assert.Equal(KeyId, ReadRoot(RootJson()).Signed.Keys[KeyId].Id);
    }

    [Fact]
    public void Root_RoundTripsToTheSameCanonicalBytes_UnknownFieldsIncluded()
    {
        string json = RootJson(",\"x-vendor\":{\"b\":[1,2],\"a\":null}");
        Metadata<Root> root = ReadRoot(json);
        byte[] original = CanonicalJson.Encode(StrictJsonReader.Parse(Encoding.UTF8.GetBytes(json), "t", 1 << 20));
        Assert.Equal(original, CanonicalJson.Encode(root.ToJson()));
        Assert.Equal(CanonicalJson.Encode(root.Signed.ToJson()), root.SignedBytes);
        Assert.Contains("x-vendor", root.Signed.Unrecognized.Keys);
    }

    [Theory]
    [InlineData("0", "root.json: $.signed.version must be at least 1, not 0")]
    [InlineData("\"1\"", "root.json: $.signed.version must be an integer")]
    public void Root_BadVersion_IsInvalid(string version, string message)
    {
        UpdateException e = Reject(RootJson(version: version));
        Assert.Equal(ProblemCodes.InvalidMetadata, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("2030-01-01")]
    [InlineData("2030-01-01T00:00:00+00:00")]
    [InlineData("2030-01-01T00:00:00.5Z")]
    public void Root_ExpiresNotInTufFormat_IsInvalid(string expires)
    {
        Assert.Equal($"root.json: $.signed.expires '{expires}' is not YYYY-MM-DDTHH:MM:SSZ", Reject(RootJson(expires: expires)).Message);
    }

    [Fact]
    public void Root_SpecMajorVersion2_IsUnsupported()
    {
        Assert.Equal(ProblemCodes.UnsupportedSpecVersion, Reject(RootJson(spec: "2.0.0")).Code);
        Assert.Equal(ProblemCodes.InvalidMetadata, Reject(RootJson(spec: "1")).Code);
    }

    [Fact]
    public void Root_WrongType_IsInvalid()
    {
        Assert.Equal("root.json: $.signed._type is 'targets', expected 'root'", Reject(RootJson().Replace("\"_type\":\"root\"", "\"_type\":\"targets\"")).Message);
    }

    [Fact]
    public void Root_KeyIdNotTheKeysHash_IsRejected()
    {
        string json = RootJson().Replace("\"keys\":{\"" + KeyId, "\"keys\":{\"" + new string('a', 64));
        UpdateException e = Reject(json);
        Assert.Equal(ProblemCodes.KeyIdMismatch, e.Code);
        Assert.Contains(KeyId, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_MissingRole_IsInvalid()
    {
        string json = RootJson().Replace("\"timestamp\":{\"keyids\"", "\"mirror\":{\"keyids\"");
        Assert.Equal("root.json: $.signed.roles must name exactly root, timestamp, snapshot and targets, not mirror, root, snapshot, targets", Reject(json).Message);
    }

    [Fact]
    public void Root_DuplicateKeyIdInRole_IsInvalid()
    {
        string json = RootJson().Replace("\"root\":{\"keyids\":[\"" + KeyId + "\"]", "\"root\":{\"keyids\":[\"" + KeyId + "\",\"" + KeyId + "\"]");
        Assert.Equal($"root.json: $.signed.roles.root.keyids lists '{KeyId}' twice", Reject(json).Message);
    }

    [Fact]
    public void Root_MissingSignatures_IsInvalid()
    {
        string json = RootJson();
        json = "{" + json.Substring(json.IndexOf("\"signed\"", StringComparison.Ordinal));
        Assert.Equal("root.json: $.signatures is missing", Reject(json).Message);
    }

    [Fact]
    public void Targets_DelegationsRead_AndPathsMatch()
    {
        string json = "{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0\",\"version\":3,\"expires\":\"2030-01-01T00:00:00Z\","
            + "\"targets\":{\"rules/a.bin\":{\"length\":5,\"hashes\":{\"sha256\":\"" + new string('a', 64) + "\"},\"custom\":{\"rollout\":\"canary\"}}},"
            + "\"delegations\":{\"keys\":{},\"roles\":[{\"name\":\"rules\",\"keyids\":[],\"threshold\":1,\"terminating\":true,\"paths\":[\"rules/*.bin\"]},"
            + "{\"name\":\"hashed\",\"keyids\":[],\"threshold\":2,\"terminating\":false,\"path_hash_prefixes\":[\"\"]}]}}}";
        Metadata<Targets> targets = MetadataReader.ReadTargets(Encoding.UTF8.GetBytes(json), "targets.json", 1 << 20);
        TargetFile file = targets.Signed.Files["rules/a.bin"];
        Assert.Equal(5, file.Length);
        Assert.IsType<JsonObject>(file.Custom);
        DelegatedRole rules = targets.Signed.Delegations!.Roles[0];
        Assert.True(rules.Terminating);
        Assert.True(rules.IsDelegatedPath("rules/a.bin"));
        Assert.False(rules.IsDelegatedPath("rules/sub/a.bin"));
        Assert.False(rules.IsDelegatedPath("other/a.bin"));
        Assert.True(targets.Signed.Delegations.Roles[1].IsDelegatedPath("anything"));
    }

    [Theory]
    [InlineData("\"name\":\"targets\"", "is a top-level role name")]
    [InlineData("\"paths\":[\"a\"],\"path_hash_prefixes\":[\"b\"]", "cannot both be set")]
    public void Targets_BadDelegation_IsInvalid(string role, string reason)
    {
        string json = "{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0\",\"version\":3,\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{},"
            + "\"delegations\":{\"keys\":{},\"roles\":[{" + (role.StartsWith("\"name\"", StringComparison.Ordinal) ? role : "\"name\":\"r\"," + role)
            + ",\"keyids\":[],\"threshold\":1,\"terminating\":false}]}}}";
        UpdateException e = Assert.ThrowsAny<UpdateException>(() => MetadataReader.ReadTargets(Encoding.UTF8.GetBytes(json), "targets.json", 1 << 20));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
