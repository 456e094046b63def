using System.Text;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Tests.Json;

public class CanonicalJsonTests
{
    private static string Canonical(string json) =>
        CanonicalJson.EncodeToString(StrictJsonReader.Parse(Encoding.UTF8.GetBytes(json), "test.json", 1 << 20));

    [Fact]
    public void Object_KeysSortedAndNoWhitespace()
    {
        Assert.Equal("{\"a\":[1,\"b\",true,false,null],\"b\":{\"c\":-5,\"d\":{}}}", Canonical("{ \"b\" : {\"d\":{}, \"c\": -5},\n \"a\": [1, \"b\", true, false, null] }"));
    }

    [Fact]
    public void Strings_EscapeOnlyBackslashAndQuote()
    {
        // \n and \u0001 come out as the raw characters, as securesystemslib writes them; é stays UTF-8.
        string result = Canonical("{\"k\":\"q\\\"b\\\\n\\nc\\u0001 é\"}");
        Assert.Equal("{\"k\":\"q\\\"b\\\\n\nc\u0001 é\"}", result);
    }

    [Fact]
    public void Keys_SortedByCodePointNotUtf16()
    {
        // U+1F600 (a surrogate pair in UTF-16) sorts after U+FFFD by code point, before it by UTF-16 unit.
        string result = Canonical("{\"\\ud83d\\ude00\":1,\"\\ufffd\":2,\"a\":3}");
        Assert.Equal("{\"a\":3,\"\ufffd\":2,\"\U0001F600\":1}", result);
    }

    [Fact]
    public void Integers_WrittenInDecimal()
    {
        Assert.Equal("[0,0,9223372036854775807,-9223372036854775808]", Canonical("[0,-0,9223372036854775807,-9223372036854775808]"));
    }

    [Fact]
    public void Encode_IsStableUnderReparse()
    {
        const string json = "{\"signed\":{\"_type\":\"root\",\"keys\":{\"x\":{\"keyval\":{\"public\":\"ab\"}}},\"version\":1},\"signatures\":[]}";
        string once = Canonical(json);
        Assert.Equal(once, Canonical(once));
    }

    [Fact]
    public void LoneSurrogate_HasNoCanonicalForm()
    {
        var value = new JsonObject().Set("k", new JsonString("\ud800"));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Encode(value));
    }
}
