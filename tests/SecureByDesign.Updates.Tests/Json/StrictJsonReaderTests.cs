using System.Text;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Tests.Json;

public class StrictJsonReaderTests
{
    private static UpdateException Reject(byte[] bytes, long max = 1 << 20) =>
        Assert.ThrowsAny<UpdateException>(() => StrictJsonReader.Parse(bytes, "root.json", max));

    private static UpdateException Reject(string json) => Reject(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", "root.json: $.a is a duplicate key")]
    [InlineData("{\"signed\":{\"v\":1.0}}", "root.json: $.signed.v is a number with a fraction or exponent; canonical JSON has integers only")]
    [InlineData("{\"v\":[1,2e3]}", "root.json: $.v[1] is a number with a fraction or exponent; canonical JSON has integers only")]
    [InlineData("{\"v\":9223372036854775808}", "root.json: $.v is an integer outside the 64-bit range")]
    public void Rejects_WithPathAndReason(string json, string expected)
    {
        UpdateException e = Reject(json);
        Assert.Equal(ProblemCodes.MalformedJson, e.Code);
        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1 /* c */}")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"signed\":{\"_type\":\"root\",\"ver")]
    [InlineData("NaN")]
    [InlineData("{\"a\":1} {}")]
    [InlineData("")]
    public void Rejects_NonJsonAndTruncated(string json)
    {
        Assert.Equal(ProblemCodes.MalformedJson, Reject(json).Code);
    }

    [Fact]
    public void Rejects_InvalidUtf8()
    {
        Assert.Equal(ProblemCodes.MalformedJson, Reject(new byte[] { (byte)'"', 0xC3, 0x28, (byte)'"' }).Code);
    }

    [Fact]
    public void Rejects_ByteOrderMark()
    {
        UpdateException e = Reject(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' });
        Assert.Equal("root.json: $ starts with a byte order mark", e.Message);
    }

    [Fact]
    public void Rejects_DeepNesting()
    {
        string json = new string('[', 1000) + new string(']', 1000);
        Assert.Equal(ProblemCodes.MalformedJson, Reject(json).Code);
        // 32 levels are fine.
        StrictJsonReader.Parse(Encoding.UTF8.GetBytes(new string('[', 32) + new string(']', 32)), "ok.json", 1000);
    }

    [Fact]
    public void Rejects_OversizeBeforeParsing()
    {
        UpdateException e = Reject(Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 100) + "\"}"), max: 50);
        Assert.Equal(ProblemCodes.MetadataTooLarge, e.Code);
        Assert.Equal("root.json: 108 bytes, over the limit of 50", e.Message);
    }

    [Fact]
    public void Reads_AllValueKinds()
    {
        var value = (JsonObject)StrictJsonReader.Parse(Encoding.UTF8.GetBytes("{\"s\":\"x\",\"i\":-3,\"b\":true,\"n\":null,\"a\":[],\"o\":{}}"), "t", 100);
        Assert.Equal("x", ((JsonString)value.Members["s"]).Value);
        Assert.Equal(-3, ((JsonInteger)value.Members["i"]).Value);
        Assert.True(((JsonBoolean)value.Members["b"]).Value);
        Assert.IsType<JsonNull>(value.Members["n"]);
        Assert.Empty(((JsonArray)value.Members["a"]).Items);
        Assert.Empty(((JsonObject)value.Members["o"]).Members);
    }
}
