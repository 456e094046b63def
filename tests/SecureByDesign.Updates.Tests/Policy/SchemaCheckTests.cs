using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Policy;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Policy;

/// <summary>Content and code agree: a target's declared fields per record against the parser that reads its schema.</summary>
public class SchemaCheckTests
{
    private static readonly VerifierOptions ParserReads20 = new()
    {
        ParserSchemas = new[] { new ParserSchema("Agent.ChannelFile.Parse", "channel", 20) },
    };

    private static RepositorySimulator WithSchema(JsonValue schema)
    {
        var sim = new RepositorySimulator();
        sim.EditSigned["targets"] = signed =>
        {
            var entry = (JsonObject)((JsonObject)signed.Members["targets"]).Members["content/channel-291.bin"];
            entry.Set("custom", new JsonObject().Set("schema", schema));
        };
        sim.Publish();
        return sim;
    }

    private static JsonObject Schema(string name, long fields) => new JsonObject()
        .Set("name", new JsonString(name))
        .Set("version", new JsonInteger(3))
        .Set("fields", new JsonInteger(fields));

    [Fact]
    public void MoreFieldsThanTheParserReads_IsReported()
    {
        using RepositorySimulator sim = WithSchema(Schema("channel", 21));
        Assert.Equal(
            new[] { "SBDU026 target 'content/channel-291.bin' (schema 'channel' v3): 21 fields per record, but Agent.ChannelFile.Parse reads 20" },
            sim.Problems(ParserReads20));
    }

    [Fact]
    public void SameFieldCount_OrAnotherSchema_OrNoParsers_IsFine()
    {
        using (RepositorySimulator sim = WithSchema(Schema("channel", 20)))
        {
            Assert.Empty(sim.Problems(ParserReads20));
        }

        using (RepositorySimulator sim = WithSchema(Schema("policy", 7)))
        {
            Assert.Empty(sim.Problems(ParserReads20));
        }

        using (RepositorySimulator sim = WithSchema(Schema("channel", 21)))
        {
            Assert.Empty(sim.Problems());
        }
    }

    [Theory]
    [InlineData("fields", "\"21\"", "target 'content/channel-291.bin': custom.schema.fields must be a positive integer")]
    [InlineData("fields", "0", "target 'content/channel-291.bin': custom.schema.fields must be a positive integer")]
    [InlineData("name", "1", "target 'content/channel-291.bin': custom.schema.name must be a non-empty string")]
    [InlineData("version", "true", "target 'content/channel-291.bin': custom.schema.version must be a string or an integer")]
    public void MalformedDeclaration_IsReported(string field, string json, string message)
    {
        JsonObject schema = Schema("channel", 20).Set(field, StrictJsonReader.Parse(System.Text.Encoding.UTF8.GetBytes(json), "t", 100));
        using RepositorySimulator sim = WithSchema(schema);
        Assert.Equal(new[] { "SBDU025 " + message }, sim.Problems(ParserReads20));
    }
}
